import { expect, test } from 'vitest';
import {
  NO_RTT_SAMPLE_US,
  formatBytes,
  formatCountTick,
  formatPermille,
  formatRate,
  formatShare,
  formatUs,
  formatUsTick,
} from '../../src/lib/format';

test('durations pick µs, ms, s, min by size with three significant digits', () => {
  expect(formatUs(0)).toBe('0 µs');
  expect(formatUs(999)).toBe('999 µs');
  expect(formatUs(1000)).toBe('1.00 ms');
  expect(formatUs(12_345)).toBe('12.3 ms');
  expect(formatUs(150_123)).toBe('150 ms');
  expect(formatUs(1_500_000)).toBe('1.50 s');
  expect(formatUs(90_000_000)).toBe('1.50 min');
  expect(formatUs(null)).toBe('—');
  expect(formatUs(NO_RTT_SAMPLE_US)).toBe('no sample');
});

test('axis ticks drop the space and trailing zeros but keep the unit', () => {
  expect(formatUsTick(40_000)).toBe('40ms');
  expect(formatUsTick(2_500)).toBe('2.5ms');
  expect(formatUsTick(120_000)).toBe('120ms');
  expect(formatUsTick(0)).toBe('0µs');
});

test('bytes, permille and rates', () => {
  expect(formatBytes(120)).toBe('120 B');
  expect(formatBytes(3000)).toBe('2.93 KiB');
  expect(formatBytes(64 * 1024 * 1024)).toBe('64.0 MiB');
  expect(formatPermille(3.21)).toBe('3.2 ‰');
  expect(formatPermille(12.6)).toBe('13 ‰');
  expect(formatRate(0.004)).toBe('<0.01/s');
  expect(formatRate(2500)).toBe('2.50k/s');
});

test('count ticks stay short', () => {
  expect(formatCountTick(1_000_000)).toBe('1M');
  expect(formatCountTick(1_250_000)).toBe('1.3M');
  expect(formatCountTick(750_000)).toBe('750k');
  expect(formatCountTick(9_999)).toBe('9,999');
});

test('shares read as percentages; a non-zero share never reads 0 %', () => {
  expect(formatShare(0)).toBe('0 %');
  expect(formatShare(0.0004)).toBe('<0.1 %');
  expect(formatShare(0.0123)).toBe('1.2 %');
  expect(formatShare(1 / 3)).toBe('33 %');
  expect(formatShare(1)).toBe('100 %');
  expect(formatShare(null)).toBe('—');
});
