/*
 * The one bucket layout of every tcprt histogram (README, "Many hosts"): 24 bounds spaced evenly
 * on a log scale from 10 µs to 60 s, each rounded to 3 significant digits so `le` stays readable.
 * Even log spacing keeps the relative error of a quantile the same at every scale (a redis answer
 * in 30 µs and a download in 5 s), about ±50 % of a bucket's width around its middle.
 */

const FIRST_BOUND_SECONDS = 10e-6;
const LAST_BOUND_SECONDS = 60;
const BOUND_COUNT = 24;

/** Upper bounds in seconds, ascending; `+Inf` is implied after the last. */
export const BUCKET_BOUNDS_SECONDS: readonly number[] = Array.from(
  { length: BOUND_COUNT },
  (_, i) =>
    Number(
      (
        FIRST_BOUND_SECONDS *
        (LAST_BOUND_SECONDS / FIRST_BOUND_SECONDS) ** (i / (BOUND_COUNT - 1))
      ).toPrecision(3),
    ),
);

/** The same bounds in µs, the unit records carry, for the per-record comparison. */
const BOUNDS_US = Float64Array.from(BUCKET_BOUNDS_SECONDS, (s) => s * 1e6);

/** Counts per bucket of one histogram: one slot per bound plus the last for `+Inf`. */
export const BUCKET_SLOTS = BOUND_COUNT + 1;

/** The slot a value in µs falls into: the first bound ≥ value (Prometheus `le`), else `+Inf`. */
export function bucketSlot(us: number): number {
  let lo = 0;
  let hi = BOUND_COUNT;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (us <= BOUNDS_US[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
