import { expect, test } from 'vitest';
import {
  bucketSecFor,
  fromLocalInput,
  toLocalInput,
  parseTimeRange,
  resolveTimeRange,
  writeTimeRange,
} from '../../src/lib/time-range';

test('a preset or an absolute window round-trips through the URL', () => {
  const params = new URLSearchParams('range=6h&port=80');
  expect(parseTimeRange(params)).toEqual({ kind: 'relative', preset: '6h' });
  writeTimeRange(params, { kind: 'absolute', fromMs: 1000, toMs: 5000 });
  expect(params.toString()).toBe('port=80&from=1000&to=5000');
  expect(parseTimeRange(params)).toEqual({ kind: 'absolute', fromMs: 1000, toMs: 5000 });
});

test('nonsense in the URL falls back to the default range', () => {
  expect(parseTimeRange(new URLSearchParams('range=3y'))).toEqual({
    kind: 'relative',
    preset: '1h',
  });
  expect(parseTimeRange(new URLSearchParams('from=9&to=3'))).toEqual({
    kind: 'relative',
    preset: '1h',
  });
  expect(parseTimeRange(new URLSearchParams('from=x&to=3'))).toEqual({
    kind: 'relative',
    preset: '1h',
  });
});

test('relative ranges end now; buckets are whole minutes within the agent limit', () => {
  expect(resolveTimeRange({ kind: 'relative', preset: '15m' }, 1_000_000_000)).toEqual({
    fromMs: 1_000_000_000 - 900_000,
    toMs: 1_000_000_000,
  });
  for (const [spanMs, expected] of [
    [15 * 60_000, 60],
    [3_600_000, 60],
    [24 * 3_600_000, 1800],
    [30 * 86_400_000, 43200],
  ] as const) {
    // Old ranges (from the epoch): whole minutes, as the 10 s rollups are kept for a day only.
    const bucket = bucketSecFor({ fromMs: 0, toMs: spanMs });
    expect(bucket).toBe(expected);
    expect(bucket % 60).toBe(0);
    expect(spanMs / 1000 / bucket).toBeLessThanOrEqual(2000);
  }
});

test('recent ranges get the 10 s tier: 15 minutes in 10 s buckets, an hour in 60 s', () => {
  const nowMs = 1_800_000_000_000;
  const recent = (spanMs: number) =>
    bucketSecFor({ fromMs: nowMs - spanMs, toMs: nowMs }, 90, nowMs);
  expect(recent(15 * 60_000)).toBe(10);
  expect(recent(30 * 60_000)).toBe(20);
  expect(recent(3_600_000)).toBe(60);
  // A 15-minute window two days back: the 10 s rollups are gone, whole minutes answer.
  expect(
    bucketSecFor(
      { fromMs: nowMs - 2 * 86_400_000, toMs: nowMs - 2 * 86_400_000 + 900_000 },
      90,
      nowMs,
    ),
  ).toBe(60);
});

test('the custom range is typed as a date and a 24-hour time, read in local time', () => {
  const ms = new Date(2026, 11, 4, 21, 5).getTime();
  expect(toLocalInput(ms)).toEqual({ date: '2026-12-04', time: '21:05' });
  expect(fromLocalInput({ date: '2026-12-04', time: '21:05' })).toBe(ms);
  expect(fromLocalInput({ date: '2026-12-04', time: '21:05:30' })).toBe(ms + 30_000);
  for (const time of ['9:05 PM', '24:00', '21:5', ''])
    expect(fromLocalInput({ date: '2026-12-04', time })).toBeNaN();
});
