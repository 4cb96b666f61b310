/*
 * The Fleet page's table: one row per Prometheus instance × port × side, built from the agent's
 * metrics (README, "Many hosts") over the last FLEET_WINDOW. Pure: fleet-query.ts runs the
 * queries.
 */

import { sortRows } from '../sort-rows';

export const FLEET_WINDOW = '5m';

const PHASES = ['total', 'upload', 'process', 'download'] as const;
type Phase = (typeof PHASES)[number];
/** Seconds; null where no task finished in the window. */
export type PhaseTimes = Record<Phase, number | null>;

export interface FleetRow {
  instance: string;
  port: number;
  side: string;
  requestsPerSec: number;
  p50: PhaseTimes;
  p99: PhaseTimes;
  /** Closed while sending or receiving, of all closed connections; null without closes. */
  failureRatio: number | null;
  /** Records the instance lost in the window (all ports). */
  lostRecords: number | null;
}

export interface VectorSample {
  metric: Record<string, string>;
  value: number;
}

const BY = 'instance, port, side';
const METRIC_OF: Record<Phase, string> = {
  total: 'tcprt_task_duration_seconds',
  upload: 'tcprt_task_upload_seconds',
  process: 'tcprt_task_process_seconds',
  download: 'tcprt_task_download_seconds',
};
const quantile = (q: number, phase: Phase) =>
  `histogram_quantile(${q}, sum by (${BY}, le) (rate(${METRIC_OF[phase]}_bucket[${FLEET_WINDOW}])))`;

/** Every query the page runs, by name. */
export const FLEET_QUERIES = {
  rate: `sum by (${BY}) (rate(tcprt_task_duration_seconds_count[${FLEET_WINDOW}]))`,
  ...Object.fromEntries(PHASES.map((p) => [`p50_${p}`, quantile(0.5, p)])),
  ...Object.fromEntries(PHASES.map((p) => [`p99_${p}`, quantile(0.99, p)])),
  failure:
    `sum by (${BY}) (rate(tcprt_connections_closed_total{reason!="normal"}[${FLEET_WINDOW}]))` +
    ` / sum by (${BY}) (rate(tcprt_connections_closed_total[${FLEET_WINDOW}]))`,
  lost: `sum by (instance) (increase(tcprt_records_lost_total[${FLEET_WINDOW}]))`,
} as Record<string, string>;

const finite = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : v);

/** Joins the query results into rows: one per series of the request rate. */
export function fleetRows(results: Record<string, VectorSample[]>): FleetRow[] {
  const key = (m: Record<string, string>) => `${m.instance}|${m.port}|${m.side}`;
  const byKey = (name: string) =>
    new Map((results[name] ?? []).map((s) => [key(s.metric), s.value]));
  const lookups = Object.fromEntries(
    Object.keys(FLEET_QUERIES)
      .filter((name) => name !== 'lost')
      .map((name) => [name, byKey(name)]),
  );
  const lost = new Map((results.lost ?? []).map((s) => [s.metric.instance, s.value]));
  return (results.rate ?? []).map(({ metric, value }) => {
    const k = key(metric);
    const phases = (q: 'p50' | 'p99') =>
      Object.fromEntries(
        PHASES.map((p) => [p, finite(lookups[`${q}_${p}`]!.get(k))]),
      ) as PhaseTimes;
    return {
      instance: metric.instance ?? '',
      port: Number(metric.port),
      side: metric.side ?? 'local',
      requestsPerSec: value,
      p50: phases('p50'),
      p99: phases('p99'),
      failureRatio: finite(lookups.failure!.get(k)),
      lostRecords: finite(lost.get(metric.instance ?? '')),
    };
  });
}

export const FLEET_SORTS = {
  instance: null,
  port: (r: FleetRow) => r.port,
  rate: (r: FleetRow) => r.requestsPerSec,
  p50: (r: FleetRow) => r.p50.total,
  p99: (r: FleetRow) => r.p99.total,
  process99: (r: FleetRow) => r.p99.process,
  failure: (r: FleetRow) => r.failureRatio,
  lost: (r: FleetRow) => r.lostRecords,
} as const;
export type FleetSort = keyof typeof FLEET_SORTS;

export interface FleetParams {
  sort: FleetSort;
  desc: boolean;
  /** Substring of the instance. */
  host: string;
  /** Exact port, or null for all. */
  port: number | null;
}

type SearchParams = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

/** The page's state from its URL; unknown values fall back to the defaults. */
export function parseFleetParams(params: SearchParams): FleetParams {
  const sort = one(params.sort);
  const port = Number(one(params.port));
  return {
    sort: sort in FLEET_SORTS ? (sort as FleetSort) : 'instance',
    desc: one(params.dir) === 'desc',
    host: one(params.host).trim(),
    port: one(params.port) !== '' && Number.isInteger(port) ? port : null,
  };
}

/** The URL query of the page with some of its state changed. */
export function fleetQuery(params: FleetParams, change: Partial<FleetParams>): string {
  const p = { ...params, ...change };
  const q = new URLSearchParams();
  if (p.host) q.set('host', p.host);
  if (p.port !== null) q.set('port', String(p.port));
  if (p.sort !== 'instance') q.set('sort', p.sort);
  if (p.desc) q.set('dir', 'desc');
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Rows matching the filters, sorted; rows without a value sort last either way. */
export function selectFleetRows(rows: readonly FleetRow[], params: FleetParams): FleetRow[] {
  const selected = rows.filter(
    (r) =>
      (!params.host || r.instance.includes(params.host)) &&
      (params.port === null || r.port === params.port),
  );
  const byName = (a: FleetRow, b: FleetRow) =>
    a.instance.localeCompare(b.instance) || a.port - b.port || a.side.localeCompare(b.side);
  return sortRows(selected, FLEET_SORTS[params.sort], params.desc, byName);
}

/** The default when TCPRT_FLEET_HOST_URL is unset: each host's console on its default port. */
export const DEFAULT_HOST_URL_TEMPLATE = 'http://{host}:7070';

/**
 * A host's console URL from the template: `{host}` is the instance without its port,
 * `{instance}` the whole `host:port` Prometheus scrapes.
 */
export function hostConsoleUrl(template: string, instance: string): string {
  const host = instance.replace(/:\d+$/, '');
  return template.replaceAll('{instance}', instance).replaceAll('{host}', host);
}
