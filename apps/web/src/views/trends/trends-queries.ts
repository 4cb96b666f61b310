import type { Ports } from '@tcprt/schema';
import { bucketSecFor, type ResolvedRange } from '@/lib/time-range';

/** The trends page's queries; shared by the server prefetch and the client so their keys match. */
export function trendsWindow(range: ResolvedRange): {
  fromMs: number;
  toMs: number;
  bucketSec: number;
} {
  return {
    fromMs: Math.floor(range.fromMs),
    toMs: Math.ceil(range.toMs),
    bucketSec: bucketSecFor(range),
  };
}

/** The port in the URL, else the busiest port of the range. */
export function chosenPort(
  params: URLSearchParams,
  ports: Ports | undefined,
): { port: number; peer: boolean } | undefined {
  const urlPort = Number(params.get('port'));
  if (Number.isInteger(urlPort) && urlPort >= 1 && urlPort <= 65535)
    return { port: urlPort, peer: params.get('peer') === '1' };
  return ports?.ports[0];
}

export function seriesInput(
  chosen: { port: number; peer: boolean },
  w: ReturnType<typeof trendsWindow>,
) {
  return {
    port: chosen.port,
    side: chosen.peer ? ('peer' as const) : ('local' as const),
    fromMs: w.fromMs,
    toMs: w.toMs,
    bucketSec: w.bucketSec,
  };
}
