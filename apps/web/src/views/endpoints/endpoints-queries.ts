import type { EndpointsInput, Ports } from '@tcprt/schema';
import type { ResolvedRange } from '@/lib/time-range';

/** Server ports only: routes are what a local http-mode port was asked. */
export function localPorts(ports: Ports | undefined): Ports['ports'] {
  return ports?.ports.filter((p) => !p.peer) ?? [];
}

/** The port in the URL, else the range's busiest local port. */
export function endpointsPort(params: URLSearchParams, ports: Ports | undefined): number | null {
  const urlPort = Number(params.get('port'));
  if (Number.isInteger(urlPort) && urlPort >= 1 && urlPort <= 65535) return urlPort;
  return localPorts(ports)[0]?.port ?? null;
}

/** stats.endpoints' input; shared by the server prefetch and the page so both ask the same. */
export function endpointsInput(port: number, range: ResolvedRange): EndpointsInput {
  return { port, fromMs: Math.floor(range.fromMs), toMs: Math.ceil(range.toMs) };
}
