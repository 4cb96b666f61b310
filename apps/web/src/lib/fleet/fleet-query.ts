// Server side only: the browser never talks to Prometheus.
import { FLEET_QUERIES, fleetRows, type FleetRow, type VectorSample } from './fleet-rows';

const QUERY_TIMEOUT_MS = 10_000;

/** The Prometheus the Fleet page reads (server side only); null when the page is off. */
export function prometheusUrl(): string | null {
  return process.env.TCPRT_PROMETHEUS_URL?.replace(/\/+$/, '') || null;
}

async function instantQuery(baseUrl: string, expr: string): Promise<VectorSample[]> {
  const res = await fetch(`${baseUrl}/api/v1/query?query=${encodeURIComponent(expr)}`, {
    cache: 'no-store',
    signal: AbortSignal.timeout(QUERY_TIMEOUT_MS),
  });
  const body = (await res.json().catch(() => null)) as {
    status?: string;
    error?: string;
    data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
  } | null;
  if (!res.ok || body?.status !== 'success' || !body.data)
    throw new Error(`Prometheus answered ${res.status}: ${body?.error ?? 'not a query result'}`);
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

/** Runs the Fleet queries against Prometheus in parallel and joins them into rows. */
export async function loadFleetRows(baseUrl: string): Promise<FleetRow[]> {
  const entries = await Promise.all(
    Object.entries(FLEET_QUERIES).map(
      async ([name, expr]) => [name, await instantQuery(baseUrl, expr)] as const,
    ),
  );
  return fleetRows(Object.fromEntries(entries));
}
