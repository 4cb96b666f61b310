import { bucketSecFor, type ResolvedRange } from '@/lib/time-range';

/** A stats query window: whole milliseconds and a bucket width giving about `targetPoints` buckets. */
export interface SeriesWindow {
  fromMs: number;
  toMs: number;
  bucketSec: number;
}

/** Shared by a page's server prefetch and its client so their query keys match. */
export function seriesWindow(range: ResolvedRange, targetPoints?: number): SeriesWindow {
  return {
    fromMs: Math.floor(range.fromMs),
    toMs: Math.ceil(range.toMs),
    bucketSec: bucketSecFor(range, targetPoints),
  };
}

/** stats.window input: one port's exact figures over the whole window. */
export function windowInput(p: { port: number; peer: boolean }, w: SeriesWindow) {
  return {
    port: p.port,
    side: p.peer ? ('peer' as const) : ('local' as const),
    fromMs: w.fromMs,
    toMs: w.toMs,
  };
}

/** stats.series input for one port over a window, in the window's buckets. */
export function seriesInput(p: { port: number; peer: boolean }, w: SeriesWindow) {
  return { ...windowInput(p, w), bucketSec: w.bucketSec };
}
