import {
  MAX_ENDPOINT_TASKS,
  MAX_ROUTES_PER_PORT,
  type EndpointPercentiles,
  type EndpointRoute,
  type Endpoints,
  type EndpointsInput,
  type HttpMethod,
} from '@tcprt/schema';
import type { Db } from '../database';
import { newHistogram, percentiles, record, type Histogram } from '../histogram';

const PERCENTILES = [0.5, 0.9, 0.99] as const;

/** One endpoint's tasks as they are read: counts and one histogram per phase. */
interface RouteTally {
  method: HttpMethod;
  route: string;
  count: number;
  serverErrors: number;
  withStatus: number;
  statusCounts: Record<string, number>;
  /** total, upload, process, download. */
  histograms: [Histogram, Histogram, Histogram, Histogram];
}

/** A task row of the window, as the index returns it (`raw` order). */
type TaskRow = [
  method: HttpMethod,
  route: string,
  status: number | null,
  totalUs: number,
  uploadUs: number,
  processUs: number,
  downloadUs: number,
  startUs: number,
];

function tallyOf(
  tallies: Map<string, RouteTally[]>,
  method: HttpMethod,
  route: string,
): RouteTally {
  let byMethod = tallies.get(route);
  if (!byMethod) {
    byMethod = [];
    tallies.set(route, byMethod);
  }
  let t = byMethod.find((m) => m.method === method);
  if (!t) {
    t = {
      method,
      route,
      count: 0,
      serverErrors: 0,
      withStatus: 0,
      statusCounts: {},
      histograms: [newHistogram(), newHistogram(), newHistogram(), newHistogram()],
    };
    byMethod.push(t);
  }
  return t;
}

function percentilesOf(h: Histogram): EndpointPercentiles {
  const [p50Us = 0, p90Us = 0, p99Us = 0] = percentiles(h, PERCENTILES);
  return { p50Us, p90Us, p99Us };
}

/**
 * A port's endpoints over a window, from its stored tasks (R records that count as tasks, SPEC §3:
 * bytes sent > 0) with an HTTP request. The rows are read from the partial index of requests
 * alone (0004-http-requests.sql), one pass, into a histogram per method, route and phase
 * (histogram.ts: percentiles within about 3 % of the exact value, memory bounded by the routes,
 * not by the tasks: at most MAX_ROUTES_PER_PORT + 1 routes per port times the ten methods).
 * The read is synchronous, so it is bounded too: at most MAX_ENDPOINT_TASKS tasks, newest first.
 */
export class EndpointQueries {
  private readonly tasks;
  private readonly withoutRequest;

  /** `maxTasks`: MAX_ENDPOINT_TASKS (smaller in tests). */
  constructor(
    db: Db,
    private readonly maxTasks = MAX_ENDPOINT_TASKS,
  ) {
    this.tasks = db
      .prepare<[number, number, number], TaskRow>(
        `SELECT http_method, http_route, http_status, total_us, upload_us, process_us, download_us, start_us
         FROM records INDEXED BY records_by_http_route
         WHERE local_port = ? AND start_us >= ? AND start_us < ? AND http_route IS NOT NULL
           AND kind = 'R' AND bytes_sent > 0
         ORDER BY start_us DESC`,
      )
      .raw();
    this.withoutRequest = db.prepare<[number, number, number], { n: number }>(
      `SELECT count(*) AS n FROM records
       WHERE local_port = ? AND start_us >= ? AND start_us < ? AND kind = 'R' AND bytes_sent > 0
         AND http_route IS NULL`,
    );
  }

  endpoints(input: EndpointsInput): Endpoints {
    const toUs = input.toMs * 1000;
    // Per route, its tallies by method (a few): no key string built per row.
    const tallies = new Map<string, RouteTally[]>();
    let fromMs = input.fromMs;
    let read = 0;
    // Newest first: past maxTasks, the millisecond being read is finished and the window starts there.
    let cutMs: number | null = null;
    for (const row of this.tasks.iterate(input.port, input.fromMs * 1000, toUs)) {
      const rowMs = Math.floor(row[7] / 1000);
      if (cutMs !== null && rowMs < cutMs) {
        fromMs = cutMs;
        break;
      }
      if (++read === this.maxTasks) cutMs = rowMs;
      const t = tallyOf(tallies, row[0], row[1]);
      t.count++;
      const status = row[2];
      if (status !== null) {
        t.withStatus++;
        if (status >= 500 && status <= 599) t.serverErrors++;
        t.statusCounts[status] = (t.statusCounts[status] ?? 0) + 1;
      }
      record(t.histograms[0], row[3]);
      record(t.histograms[1], row[4]);
      record(t.histograms[2], row[5]);
      record(t.histograms[3], row[6]);
    }
    const windowSec = (input.toMs - fromMs) / 1000;
    const routes: EndpointRoute[] = [...tallies.values()].flat().map((t) => ({
      method: t.method,
      route: t.route,
      count: t.count,
      tasksPerSec: windowSec > 0 ? t.count / windowSec : 0,
      serverErrors: t.serverErrors,
      errorRatio: t.withStatus ? t.serverErrors / t.withStatus : 0,
      statusCounts: t.statusCounts,
      total: percentilesOf(t.histograms[0]),
      upload: percentilesOf(t.histograms[1]),
      process: percentilesOf(t.histograms[2]),
      download: percentilesOf(t.histograms[3]),
    }));
    routes.sort(
      (a, b) =>
        b.count - a.count || a.route.localeCompare(b.route) || a.method.localeCompare(b.method),
    );
    return {
      port: input.port,
      fromMs,
      toMs: input.toMs,
      routes,
      routeLimit: MAX_ROUTES_PER_PORT,
      withoutRequest: this.withoutRequest.get(input.port, fromMs * 1000, toUs)?.n ?? 0,
    };
  }
}
