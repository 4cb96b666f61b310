import { describe, expect, it } from 'vitest';
import {
  addCoarse,
  addEncodedHistograms,
  BIN_COUNT,
  binMidpoint,
  COARSE_BIN_COUNT,
  COARSE_BIN_OF,
  coarseBinBounds,
  binOf,
  encodeHistograms,
  newHistogram,
  percentiles,
  record,
} from './histogram';

describe('log-linear histogram', () => {
  it('is exact below 32 µs and within 1/32 above', () => {
    for (let v = 0; v < 32; v++) expect(binMidpoint(binOf(v))).toBe(v);
    for (const v of [32, 33, 100, 999, 1024, 50_000, 200_000, 3_600_000_000, 2 ** 52]) {
      expect(Math.abs(binMidpoint(binOf(v)) - v) / v).toBeLessThanOrEqual(1 / 32);
    }
  });

  it('bins integers by bit arithmetic exactly as by log2', () => {
    const byLog2 = (v: number) => {
      const exponent = Math.floor(Math.log2(v));
      return 32 + (exponent - 5) * 16 + Math.floor(v / 2 ** (exponent - 4)) - 16;
    };
    const values = [
      32,
      33,
      47,
      48,
      63,
      64,
      65,
      1000,
      65_535,
      65_536,
      2 ** 31 - 1,
      2 ** 31,
      2 ** 32 - 1,
    ];
    for (let v = 32; v < 2 ** 32; v = Math.floor(v * 1.003) + 1) values.push(v);
    for (const v of values) expect(binOf(v), `${v}`).toBe(byLog2(v));
  });

  it('puts bins in value order', () => {
    let previous = -1;
    for (let v = 0; v < 1_000_000; v = Math.floor(v * 1.01) + 1) {
      expect(binOf(v)).toBeGreaterThanOrEqual(previous);
      previous = binOf(v);
    }
  });

  it('reads nearest-rank percentiles within 3 % of the exact ones', () => {
    const h = newHistogram();
    const values = Array.from({ length: 1000 }, (_, i) => 100 + i * 37);
    for (const v of values) record(h, v);
    const ps = [0.5, 0.9, 0.99];
    const read = percentiles(h, ps);
    ps.forEach((p, i) => {
      const exact = values[Math.ceil(p * values.length) - 1]!;
      expect(Math.abs(read[i]! - exact) / exact).toBeLessThan(0.03);
    });
    expect(percentiles(newHistogram(), ps)).toEqual([0, 0, 0]);
  });

  it('round-trips through its stored form and merges', () => {
    const a = newHistogram();
    const b = newHistogram();
    [5, 5, 700, 123_456].forEach((v) => record(a, v));
    [5, 9_999_999].forEach((v) => record(b, v));
    const merged = [newHistogram(), newHistogram()];
    addEncodedHistograms(merged, encodeHistograms([a, b]));
    addEncodedHistograms(merged, encodeHistograms([a, b]));
    expect(merged[0]![binOf(5)]).toBe(4);
    expect(merged[0]![binOf(123_456)]).toBe(2);
    expect(merged[1]![binOf(9_999_999)]).toBe(2);
    expect(merged[1]!.reduce((s, n) => s + n, 0)).toBe(4);
  });
});

describe('coarse bins', () => {
  it('each stored bin falls inside the bounds of its coarse bin, and coarse bins only grow', () => {
    let previous = 0;
    for (let bin = 0; bin < BIN_COUNT; bin++) {
      const coarse = COARSE_BIN_OF[bin]!;
      expect(coarse).toBeGreaterThanOrEqual(previous);
      previous = coarse;
      const { lowUs, highUs } = coarseBinBounds(coarse);
      const mid = binMidpoint(bin);
      expect(mid).toBeGreaterThanOrEqual(lowUs);
      expect(mid).toBeLessThan(highUs);
    }
  });

  it('puts 1 ms and 100 ms in bins a factor of 2^(1/4) wide at most', () => {
    for (const valueUs of [1000, 100_000]) {
      const h = newHistogram();
      record(h, valueUs);
      const coarse = new Float64Array(COARSE_BIN_COUNT);
      addCoarse(coarse, h);
      const index = coarse.findIndex((c) => c === 1);
      const { lowUs, highUs } = coarseBinBounds(index);
      expect(valueUs).toBeGreaterThanOrEqual(lowUs);
      expect(valueUs).toBeLessThan(highUs);
      expect(highUs / lowUs).toBeLessThanOrEqual(1.25);
    }
  });
});
