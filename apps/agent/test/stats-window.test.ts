import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../src/api/router';
import { startHarness, type Harness } from './fixtures/agent-harness';
import { rRecord } from './fixtures/records';

// An hour ago, on a minute boundary: inside the 10 s tier's day, away from the hour's edges.
const BASE_MS = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
const SLOW = 8081;
const BIMODAL = 8082;

let h: Harness;
const caller = () => appRouter.createCaller({ services: h.agent.services, authorized: true });

/** Process times of the slow port's tasks: a quiet minute of 200 µs tasks, a 20 s burst of 50–80 ms ones. */
const processTimes: { atMs: number; processUs: number }[] = [];

beforeAll(async () => {
  h = await startHarness(`per-port:\n  - port: ${SLOW}\n  - port: ${BIMODAL}\n`);
  // Quiet: one fast task every second for 3 minutes, except a burst of 40 slow tasks per second
  // from 60 s to 80 s.
  for (let s = 0; s < 180; s++) {
    processTimes.push({ atMs: BASE_MS + s * 1000, processUs: 200 + (s % 7) });
    if (s >= 60 && s < 80)
      for (let i = 0; i < 40; i++)
        processTimes.push({ atMs: BASE_MS + s * 1000 + 10 + i * 20, processUs: 50_000 + i * 750 });
  }
  h.collector.emit(
    ...processTimes.map((t, i) =>
      rRecord(
        t.atMs * 1000,
        { local: SLOW, peer: 30000 + (i % 1000) },
        {
          uploadUs: 5,
          processUs: t.processUs,
          downloadUs: 10,
        },
      ),
    ),
    // Bimodal: half the tasks 1 ms, half 100 ms, all in one minute.
    ...Array.from({ length: 400 }, (_, i) =>
      rRecord(
        (BASE_MS + 200_000 + i * 100) * 1000,
        { local: BIMODAL, peer: 31000 + i },
        {
          uploadUs: 0,
          processUs: i % 2 ? 100_000 : 1000,
          downloadUs: 0,
        },
      ),
    ),
  );
  await h.agent.flush();
});

afterAll(async () => {
  await h.stop();
  await h.dir.remove();
});

/** Nearest-rank percentile of exact values. */
function exactPercentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

describe('10 s resolution', () => {
  it('shows the 20 s burst as its own buckets at bucketSec=10', async () => {
    const series = await caller().stats.series({
      port: SLOW,
      fromMs: BASE_MS,
      toMs: BASE_MS + 180_000,
      bucketSec: 10,
    });
    expect(series.buckets).toHaveLength(18);
    const slow = series.buckets.filter((b) => b.total.p99Us > 10_000).map((b) => b.startMs);
    expect(slow).toEqual([BASE_MS + 60_000, BASE_MS + 70_000]);
    expect(series.buckets[6]?.count).toBe(10 + 400);
    expect(series.buckets[5]?.count).toBe(10);
  });

  it('refuses a bucket width that is not a multiple of 10 s', async () => {
    await expect(
      caller().stats.series({ port: SLOW, fromMs: BASE_MS, toMs: BASE_MS + 60_000, bucketSec: 15 }),
    ).rejects.toThrow(/multiple of 10/);
  });
});

describe('window figures', () => {
  it("merges the window's histograms: p50/p90/p99 of all its tasks within the histogram's 1/32", async () => {
    const w = await caller().stats.window({
      port: SLOW,
      fromMs: BASE_MS,
      toMs: BASE_MS + 180_000,
    });
    expect(w.resolutionSec).toBe(10);
    expect(w.count).toBe(processTimes.length);
    const totals = processTimes.map((t) => t.processUs + 15);
    for (const [p, got] of [
      [0.5, w.total.p50Us],
      [0.9, w.total.p90Us],
      [0.99, w.total.p99Us],
    ] as const) {
      const exact = exactPercentile(totals, p);
      expect(Math.abs(got - exact) / exact).toBeLessThanOrEqual(1 / 32);
    }
    // Not the peak of per-bucket p99s, which is the burst's (≈79 ms) and would be far above this one.
    expect(w.total.p99Us).toBeLessThan(80_000);
  });

  it('divides tasks by the time the port had records, not by the whole window', async () => {
    // A window of an hour holding 3 minutes of traffic: 18 active 10 s buckets.
    const w = await caller().stats.window({
      port: SLOW,
      fromMs: BASE_MS - 1_800_000,
      toMs: BASE_MS + 1_800_000,
    });
    expect(w.count).toBe(processTimes.length);
    expect(w.activeSec).toBe(180);
    expect(w.tasksPerSec).toBeCloseTo(processTimes.length / 180, 6);
  });

  it('returns the distribution of the window with both modes of a bimodal port', async () => {
    const w = await caller().stats.window({
      port: BIMODAL,
      fromMs: BASE_MS,
      toMs: BASE_MS + 300_000,
    });
    const { bins, counts } = w.distributions.total;
    const binOf = (us: number) => bins.findIndex((b) => us >= b.lowUs && us < b.highUs);
    expect(counts[binOf(1000)]).toBe(200);
    expect(counts[binOf(100_000)]).toBe(200);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(400);
  });
});

describe('heatmap', () => {
  it('puts each task in its time bucket and latency bin', async () => {
    const map = await caller().stats.heatmap({
      port: BIMODAL,
      phase: 'process',
      fromMs: BASE_MS + 180_000,
      toMs: BASE_MS + 300_000,
      bucketSec: 10,
    });
    expect(map.bucketStartsMs).toHaveLength(12);
    const rows = new Map<number, number>();
    for (const [, bin, count] of map.cells) rows.set(bin, (rows.get(bin) ?? 0) + count);
    // Two bands: every task in the 1 ms bin or the 100 ms bin, nothing between.
    expect([...rows.keys()].map((b) => map.bins[b]!.lowUs).sort((a, b) => a - b)).toEqual([
      896, 98304,
    ]);
    expect([...rows.values()]).toEqual([200, 200]);
    // 400 tasks 100 ms apart from 200 s: the buckets from 200 s to 240 s, 100 each.
    const perBucket = new Map<number, number>();
    for (const [bucket, , count] of map.cells)
      perBucket.set(bucket, (perBucket.get(bucket) ?? 0) + count);
    expect([...perBucket.entries()].sort((a, b) => a[0] - b[0])).toEqual([
      [2, 100],
      [3, 100],
      [4, 100],
      [5, 100],
    ]);
  });
});
