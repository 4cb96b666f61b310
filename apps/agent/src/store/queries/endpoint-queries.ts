import {
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
];

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
 */
export class EndpointQueries {
  private readonly tasks;
  private readonly withoutRequest;

  constructor(db: Db) {
    this.tasks = db
      .prepare<[number, number, number], TaskRow>(
        `SELECT http_method, http_route, http_status, total_us, upload_us, process_us, download_us
         FROM records INDEXED BY records_by_http_route
         WHERE local_port = ? AND start_us >= ? AND start_us < ? AND http_route IS NOT NULL
           AND kind = 'R' AND bytes_sent > 0`,
      )
      .raw();
    this.withoutRequest = db.prepare<[number, number, number], { n: number }>(
      `SELECT count(*) AS n FROM records
       WHERE local_port = ? AND start_us >= ? AND start_us < ? AND kind = 'R' AND bytes_sent > 0
         AND http_route IS NULL`,
    );
  }

  endpoints(input: EndpointsInput): Endpoints {
    const fromUs = input.fromMs * 1000;
    const toUs = input.toMs * 1000;
    const tallies = new Map<string, RouteTally>();
    for (const [method, route, status, ...phases] of this.tasks.iterate(input.port, fromUs, toUs)) {
      const key = `${method} ${route}`;
      let t = tallies.get(key);
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
        tallies.set(key, t);
      }
      t.count++;
      if (status !== null) {
        t.withStatus++;
        if (status >= 500 && status <= 599) t.serverErrors++;
        t.statusCounts[status] = (t.statusCounts[status] ?? 0) + 1;
      }
      for (let i = 0; i < 4; i++) record(t.histograms[i as 0 | 1 | 2 | 3], phases[i]!);
    }
    const windowSec = (input.toMs - input.fromMs) / 1000;
    const routes: EndpointRoute[] = [...tallies.values()].map((t) => ({
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
      fromMs: input.fromMs,
      toMs: input.toMs,
      routes,
      routeLimit: MAX_ROUTES_PER_PORT,
      withoutRequest: this.withoutRequest.get(input.port, fromUs, toUs)?.n ?? 0,
    };
  }
}
