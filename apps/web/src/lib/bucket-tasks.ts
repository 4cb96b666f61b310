import type { HttpMethod, LatencyPhase } from '@tcprt/schema';

const MIN_FILTER: Record<LatencyPhase, string> = {
  total: 'minTotal',
  upload: 'minUpload',
  process: 'minProcess',
  download: 'minDownload',
};

/**
 * The Tasks page for one port's tasks in [fromMs, toMs), slowest first: what a click on a chart's
 * bucket (or a heatmap cell, with its lower latency bound) opens. Tasks as the charts count them:
 * R records of a server port, P records of a peer port. With a request: only the tasks of that
 * method and route (an Endpoints row).
 */
export function bucketTasksHref(p: {
  port: number;
  peer: boolean;
  fromMs: number;
  toMs: number;
  sort?: LatencyPhase;
  minUs?: number;
  request?: { method: HttpMethod; route: string };
}): string {
  const sort = p.sort ?? 'total';
  const params = new URLSearchParams({
    from: String(Math.floor(p.fromMs)),
    to: String(Math.ceil(p.toMs)),
    [p.peer ? 'peerPort' : 'localPort']: String(p.port),
    kinds: p.peer ? 'P' : 'R',
    sort,
  });
  if (p.minUs !== undefined && p.minUs > 0)
    params.set(MIN_FILTER[sort], `${Math.floor(p.minUs)}us`);
  if (p.request) {
    params.set('method', p.request.method);
    params.set('route', p.request.route);
  }
  return `/tasks?${params}`;
}
