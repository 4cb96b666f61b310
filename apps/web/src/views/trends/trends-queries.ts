import type { Ports } from '@tcprt/schema';
import { seriesWindow, type SeriesWindow } from '@/lib/series-query';
import type { ResolvedRange } from '@/lib/time-range';

/** The trends page's charts: the default bucket target of bucketSecFor. */
export function trendsWindow(range: ResolvedRange): SeriesWindow {
  return seriesWindow(range);
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
