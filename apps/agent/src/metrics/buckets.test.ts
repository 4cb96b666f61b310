import { describe, expect, it } from 'vitest';
import { BUCKET_BOUNDS_SECONDS, BUCKET_SLOTS, bucketSlot } from './buckets';

describe('histogram buckets', () => {
  it('are at most 24, from 10 µs to 60 s, each about twice the one before', () => {
    expect(BUCKET_BOUNDS_SECONDS.length).toBeLessThanOrEqual(24);
    expect(BUCKET_BOUNDS_SECONDS[0]).toBe(0.00001);
    expect(BUCKET_BOUNDS_SECONDS.at(-1)).toBe(60);
    for (let i = 1; i < BUCKET_BOUNDS_SECONDS.length; i++) {
      const ratio = BUCKET_BOUNDS_SECONDS[i]! / BUCKET_BOUNDS_SECONDS[i - 1]!;
      expect(ratio).toBeGreaterThan(1.9);
      expect(ratio).toBeLessThan(2.05);
    }
  });

  it('put a value in the first bucket whose bound is at least the value (le), else +Inf', () => {
    expect(bucketSlot(0)).toBe(0);
    expect(bucketSlot(10)).toBe(0);
    expect(bucketSlot(11)).toBe(1);
    expect(bucketSlot(200_000)).toBe(BUCKET_BOUNDS_SECONDS.indexOf(0.263));
    expect(bucketSlot(60_000_000)).toBe(BUCKET_SLOTS - 2);
    expect(bucketSlot(60_000_001)).toBe(BUCKET_SLOTS - 1);
  });
});
