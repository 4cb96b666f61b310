/**
 * A log-linear histogram of durations in µs: exact below 32 µs, then 16 bins per power of two,
 * so any percentile read from it is within 1/32 (~3 %) of the true value. Chosen over exact
 * percentiles because per-minute histograms merge cheaply: a day of a port's stats reads
 * 1440 small rows instead of millions of records.
 */
const EXACT_BELOW = 32;
const SUB_BITS = 4;
const SUB_BINS = 1 << SUB_BITS;
const FIRST_LOG_EXPONENT = Math.log2(EXACT_BELOW);

export function binOf(valueUs: number): number {
  if (valueUs < EXACT_BELOW) return Math.max(0, Math.floor(valueUs));
  const exponent = Math.floor(Math.log2(valueUs));
  const sub = Math.floor(valueUs / 2 ** (exponent - SUB_BITS)) - SUB_BINS;
  return EXACT_BELOW + (exponent - FIRST_LOG_EXPONENT) * SUB_BINS + sub;
}

/** The middle of the value range a bin covers (the value itself in the exact range). */
export function binMidpoint(bin: number): number {
  if (bin < EXACT_BELOW) return bin;
  const exponent = FIRST_LOG_EXPONENT + Math.floor((bin - EXACT_BELOW) / SUB_BINS);
  const sub = (bin - EXACT_BELOW) % SUB_BINS;
  const width = 2 ** (exponent - SUB_BITS);
  const low = 2 ** exponent + sub * width;
  return Math.floor(low + (width - 1) / 2);
}

/** Sparse bin → count. */
export type Histogram = Map<number, number>;

export function record(h: Histogram, valueUs: number): void {
  const bin = binOf(valueUs);
  h.set(bin, (h.get(bin) ?? 0) + 1);
}

export function merge(into: Histogram, from: Histogram): void {
  for (const [bin, n] of from) into.set(bin, (into.get(bin) ?? 0) + n);
}

/** Nearest-rank percentile (0 < p ≤ 1); 0 for an empty histogram. */
export function percentile(h: Histogram, p: number): number {
  let total = 0;
  for (const n of h.values()) total += n;
  if (total === 0) return 0;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const bin of [...h.keys()].sort((a, b) => a - b)) {
    seen += h.get(bin) ?? 0;
    if (seen >= rank) return binMidpoint(bin);
  }
  return 0;
}

export function toPairs(h: Histogram): [number, number][] {
  return [...h.entries()];
}

export function fromPairs(pairs: [number, number][]): Histogram {
  return new Map(pairs);
}
