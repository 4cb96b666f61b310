import { bucketSecFor, type ResolvedRange } from '@/lib/time-range';

/** The overview's query window; shared by the server prefetch and the client so their keys match. */
export function overviewWindow(range: ResolvedRange): {
  fromMs: number;
  toMs: number;
  bucketSec: number;
} {
  return {
    fromMs: Math.floor(range.fromMs),
    toMs: Math.ceil(range.toMs),
    bucketSec: bucketSecFor(range, 60),
  };
}

export function portSeriesInput(
  p: { port: number; peer: boolean },
  w: ReturnType<typeof overviewWindow>,
) {
  return {
    port: p.port,
    side: p.peer ? ('peer' as const) : ('local' as const),
    fromMs: w.fromMs,
    toMs: w.toMs,
    bucketSec: w.bucketSec,
  };
}
