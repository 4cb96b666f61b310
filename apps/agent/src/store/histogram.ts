/**
 * A log-linear histogram of durations in µs: exact below 32 µs, then 16 bins per power of two,
 * so any percentile read from it is within 1/32 (~3 %) of the true value. Chosen over exact
 * percentiles because per-minute and per-hour histograms merge cheaply: a week of a port's
 * stats reads at most 10080 small rows instead of millions of records.
 *
 * In memory a histogram is dense (one count per bin); stored, only the non-empty bins are kept.
 */
const EXACT_BELOW = 32;
const SUB_BITS = 4;
const SUB_BINS = 1 << SUB_BITS;
const FIRST_LOG_EXPONENT = Math.log2(EXACT_BELOW);
/** Enough bins for any safe integer (2^53). */
export const BIN_COUNT = EXACT_BELOW + (53 - FIRST_LOG_EXPONENT) * SUB_BINS;

export type Histogram = Float64Array;

export function newHistogram(): Histogram {
  return new Float64Array(BIN_COUNT);
}

export function binOf(valueUs: number): number {
  if (valueUs < EXACT_BELOW) return Math.max(0, Math.floor(valueUs));
  if (valueUs < 2 ** 32 && valueUs >>> 0 === valueUs) {
    // Integer µs below 2^32 (nearly all): the same bin from bit arithmetic, without log2 (4 per record at ingest).
    const exponent = 31 - Math.clz32(valueUs);
    return (
      EXACT_BELOW +
      (exponent - FIRST_LOG_EXPONENT) * SUB_BINS +
      (valueUs >>> (exponent - SUB_BITS)) -
      SUB_BINS
    );
  }
  const exponent = Math.floor(Math.log2(valueUs));
  const sub = Math.floor(valueUs / 2 ** (exponent - SUB_BITS)) - SUB_BINS;
  return Math.min(BIN_COUNT - 1, EXACT_BELOW + (exponent - FIRST_LOG_EXPONENT) * SUB_BINS + sub);
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

export function record(h: Histogram, valueUs: number): void {
  h[binOf(valueUs)]! += 1;
}

/** Nearest-rank percentiles (each 0 < p ≤ 1, ascending) in one pass; zeros for an empty histogram. */
export function percentiles(h: Histogram, ps: readonly number[]): number[] {
  let total = 0;
  for (let i = 0; i < h.length; i++) total += h[i]!;
  const out = ps.map(() => 0);
  if (total === 0) return out;
  let next = 0;
  let seen = 0;
  for (let bin = 0; bin < h.length && next < ps.length; bin++) {
    seen += h[bin]!;
    while (next < ps.length && seen >= Math.max(1, Math.ceil(ps[next]! * total)))
      out[next++] = binMidpoint(bin);
  }
  return out;
}

/** The most bytes encodeHistograms writes for `count` histograms: every bin non-empty. */
export const maxEncodedHistogramBytes = (count: number): number => count * (2 + BIN_COUNT * 6);

/**
 * Stored form of several histograms: per histogram a u16 bin count, then (u16 bin, u32 count)
 * pairs, little-endian. Written into `scratch` when it is large enough (the result is a view of
 * it, valid until its next use), else into a new buffer.
 */
export function encodeHistograms(histograms: readonly Histogram[], scratch?: Buffer): Buffer {
  let pairs = 0;
  for (const h of histograms) for (let i = 0; i < h.length; i++) if (h[i]) pairs++;
  const bytes = histograms.length * 2 + pairs * 6;
  // Every byte is written below, so a reused scratch buffer needs no clearing.
  const out = scratch && scratch.length >= bytes ? scratch.subarray(0, bytes) : Buffer.alloc(bytes);
  let offset = 0;
  for (const h of histograms) {
    const countAt = offset;
    offset += 2;
    let n = 0;
    for (let bin = 0; bin < h.length; bin++) {
      if (!h[bin]) continue;
      out.writeUInt16LE(bin, offset);
      out.writeUInt32LE(h[bin]!, offset + 2);
      offset += 6;
      n++;
    }
    out.writeUInt16LE(n, countAt);
  }
  return out;
}

/** Adds stored histograms into dense ones, in the order they were encoded. */
export function addEncodedHistograms(into: readonly Histogram[], encoded: Uint8Array): void {
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  let offset = 0;
  for (const h of into) {
    const n = view.getUint16(offset, true);
    offset += 2;
    for (let i = 0; i < n; i++, offset += 6)
      h[view.getUint16(offset, true)]! += view.getUint32(offset + 2, true);
  }
}

/**
 * Coarse bins for distributions people look at (heatmaps, window histograms): log-linear with
 * four bins per power of two, bin 0 holding 0 µs. Above EXACT_BELOW each is exactly four stored
 * bins; below, a union of whole exact bins, so a coarse count is the sum of whole stored counts.
 */
const COARSE_SUB_BITS = 2;
const COARSE_SUB_BINS = 1 << COARSE_SUB_BITS;

function binLow(bin: number): number {
  if (bin < EXACT_BELOW) return bin;
  const exponent = FIRST_LOG_EXPONENT + Math.floor((bin - EXACT_BELOW) / SUB_BINS);
  const sub = (bin - EXACT_BELOW) % SUB_BINS;
  return 2 ** exponent + sub * 2 ** (exponent - SUB_BITS);
}

function coarseOfValue(valueUs: number): number {
  if (valueUs < 1) return 0;
  const exponent = Math.floor(Math.log2(valueUs));
  const sub = Math.floor((valueUs / 2 ** exponent - 1) * COARSE_SUB_BINS);
  return 1 + exponent * COARSE_SUB_BINS + sub;
}

/** For each stored bin, the coarse bin it belongs to. */
export const COARSE_BIN_OF: Int16Array = Int16Array.from({ length: BIN_COUNT }, (_, bin) =>
  coarseOfValue(binLow(bin)),
);
export const COARSE_BIN_COUNT = COARSE_BIN_OF[BIN_COUNT - 1]! + 1;

/** [lowUs, highUs) of a coarse bin; the lowest bins cover at least one whole µs (values are integers). */
export function coarseBinBounds(coarse: number): { lowUs: number; highUs: number } {
  if (coarse === 0) return { lowUs: 0, highUs: 1 };
  const exponent = Math.floor((coarse - 1) / COARSE_SUB_BINS);
  const sub = (coarse - 1) % COARSE_SUB_BINS;
  const lowUs = 2 ** exponent * (1 + sub / COARSE_SUB_BINS);
  const highUs = 2 ** exponent * (1 + (sub + 1) / COARSE_SUB_BINS);
  return { lowUs, highUs: Math.max(highUs, Math.floor(lowUs) + 1) };
}

/** Adds a stored-resolution histogram into coarse counts (COARSE_BIN_COUNT long). */
export function addCoarse(into: Float64Array, h: Histogram): void {
  for (let bin = 0; bin < h.length; bin++) if (h[bin]) into[COARSE_BIN_OF[bin]!]! += h[bin]!;
}
