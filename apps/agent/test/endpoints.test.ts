import {
  MAX_ROUTES_PER_PORT,
  OTHER_ROUTE,
  type Endpoints,
  type HttpExchange,
  type RRecord,
} from '@tcprt/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../src/api/router';
import { openDatabase } from '../src/store/database';
import { EndpointQueries } from '../src/store/queries/endpoint-queries';
import { startHarness, type Harness } from './fixtures/agent-harness';
import { rRecord, wRecord } from './fixtures/records';

/*
 * Endpoints (issue 20) from synthetic tasks fed through the real writer: what stats.endpoints and
 * GET /api/stats/endpoints say of a port's routes, the task filters by method, route and status,
 * and the route bound across 10,000 distinct paths and an agent restart.
 */

const BASE_MS = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
const WINDOW = { fromMs: BASE_MS, toMs: BASE_MS + 60_000 };
const WEB = 8080;
const RANDOM = 8081;
const CONFIG = `per-port:
  - port: ${WEB}
    mode: http
    routes: ['/users/{id}/orders']
  - port: ${RANDOM}
    mode: http
`;

let h: Harness;
const caller = () => appRouter.createCaller({ services: h.agent.services, authorized: true });
let peer = 20_000;

function task(
  atMs: number,
  port: number,
  http: HttpExchange | undefined,
  processUs: number,
  bytesSent = 1000,
): RRecord {
  const r = rRecord(
    atMs * 1000,
    { local: port, peer: peer++ },
    { uploadUs: 10, processUs, downloadUs: 20, bytesSent },
  );
  return http ? { ...r, http } : r;
}

const exchange = (method: HttpExchange['method'], path: string, status: number | null) => ({
  method,
  path,
  pathTruncated: false,
  status,
});

/** The exact nearest-rank p50 of the slow route's process times. */
const slowProcessUs = Array.from({ length: 50 }, (_, i) => 100_000 + i * 400);

beforeAll(async () => {
  h = await startHarness(CONFIG);
  const at = (i: number) => BASE_MS + 1000 + i * 100;
  h.collector.emit(
    ...Array.from({ length: 100 }, (_, i) => task(at(i), WEB, exchange('GET', '/fast', 200), 900)),
    ...slowProcessUs.map((us, i) =>
      task(at(i), WEB, exchange('GET', `/slow/${1000 + i}`, 200), us),
    ),
    ...Array.from({ length: 20 }, (_, i) =>
      task(at(i), WEB, exchange('GET', `/missing-${i % 2}`, 404), 300),
    ),
    ...Array.from({ length: 20 }, (_, i) =>
      task(at(i), WEB, exchange('POST', `/users/u${i}/orders`, i % 2 ? 503 : 201), 5000),
    ),
    // No status line seen: counted, not in the error ratio.
    task(at(1), WEB, exchange('POST', '/users/a/orders', null), 5000),
    // Not tasks of the window: no request; a W; no response bytes; before the window.
    task(at(2), WEB, undefined, 700),
    {
      ...wRecord(at(3) * 1000, { local: WEB, peer: peer++ }, 9000),
      http: exchange('GET', '/fast', null),
    },
    task(at(4), WEB, exchange('GET', '/fast', 200), 900, 0),
    task(BASE_MS - 5000, WEB, exchange('GET', '/fast', 200), 900),
  );
  await h.agent.flush();
});

afterAll(async () => {
  await h.stop();
  await h.dir.remove();
});

describe('stats.endpoints', () => {
  it("lists each method and route of a port's window, busiest first, ids grouped", async () => {
    const e = await caller().stats.endpoints({ port: WEB, ...WINDOW });
    expect(e.routes.map((r) => [r.method, r.route, r.count])).toEqual([
      ['GET', '/fast', 100],
      ['GET', '/slow/{n}', 50],
      ['POST', '/users/{id}/orders', 21],
      ['GET', '/missing-0', 10],
      ['GET', '/missing-1', 10],
    ]);
    expect(e.withoutRequest).toBe(1);
    expect(e.routeLimit).toBe(MAX_ROUTES_PER_PORT);
  });

  it('gives rates, 5xx ratios over the tasks with a status, status counts and phase percentiles', async () => {
    const e = await caller().stats.endpoints({ port: WEB, ...WINDOW });
    const byRoute = new Map(e.routes.map((r) => [r.route, r]));
    const orders = byRoute.get('/users/{id}/orders')!;
    expect(orders.serverErrors).toBe(10);
    expect(orders.errorRatio).toBeCloseTo(0.5, 10);
    expect(orders.statusCounts).toEqual({ '201': 10, '503': 10 });
    expect(byRoute.get('/missing-0')!).toMatchObject({
      errorRatio: 0,
      statusCounts: { '404': 10 },
    });
    expect(byRoute.get('/fast')!.tasksPerSec).toBeCloseTo(100 / 60, 10);
    const slow = byRoute.get('/slow/{n}')!;
    const exactP50 = slowProcessUs[24]!;
    expect(Math.abs(slow.process.p50Us - exactP50) / exactP50).toBeLessThan(0.035);
    expect(Math.abs(slow.total.p50Us - (exactP50 + 30)) / exactP50).toBeLessThan(0.035);
    expect(slow.process.p99Us).toBeGreaterThan(slow.process.p50Us);
    expect(slow.upload).toEqual({ p50Us: 10, p90Us: 10, p99Us: 10 });
    expect(slow.download).toEqual({ p50Us: 20, p90Us: 20, p99Us: 20 });
  });

  it('reads at most its bound of tasks, newest first, and says where the window then began', () => {
    const db = openDatabase(h.agent.databasePath);
    try {
      const total = (e: Endpoints) => e.routes.reduce((n, r) => n + r.count, 0);
      const capped = new EndpointQueries(db, 10).endpoints({ port: WEB, ...WINDOW });
      expect(capped.fromMs).toBeGreaterThan(WINDOW.fromMs);
      expect(capped.toMs).toBe(WINDOW.toMs);
      // Whole milliseconds: every task from the reported start on, the same as an uncapped read.
      const whole = new EndpointQueries(db).endpoints({
        port: WEB,
        fromMs: capped.fromMs,
        toMs: WINDOW.toMs,
      });
      expect(total(capped)).toBeGreaterThanOrEqual(10);
      expect(capped.routes).toEqual(whole.routes);
      expect(new EndpointQueries(db).endpoints({ port: WEB, ...WINDOW }).fromMs).toBe(
        WINDOW.fromMs,
      );
    } finally {
      db.close();
    }
  });

  it('is empty for a port or window without requests', async () => {
    const e = await caller().stats.endpoints({ port: 9, ...WINDOW });
    expect(e).toMatchObject({ routes: [], withoutRequest: 0 });
  });

  it('answers over REST, and bad input with a 400 and the reason', async () => {
    const url = `${h.agent.url}/api/stats/endpoints`;
    const ok = await fetch(`${url}?port=${WEB}&fromMs=${WINDOW.fromMs}&toMs=${WINDOW.toMs}`);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { routes: { route: string }[] };
    expect(body.routes.map((r) => r.route)).toContain('/slow/{n}');
    for (const query of [
      `port=0&fromMs=0&toMs=1`,
      `port=${WEB}&fromMs=10&toMs=5`,
      `port=${WEB}&fromMs=x&toMs=5`,
      `port=${WEB}`,
      `port=${WEB}&fromMs=0&toMs=1&extra=1`,
    ]) {
      const bad = await fetch(`${url}?${query}`);
      expect([query, bad.status]).toEqual([query, 400]);
      expect(((await bad.json()) as { message: string }).message.length).toBeGreaterThan(0);
    }
  });
});

describe('task filters by method, route and status', () => {
  it('list and count the tasks of one route, with their request', async () => {
    const page = await caller().records.list({
      localPort: WEB,
      route: '/slow/{n}',
      sort: 'process',
      order: 'desc',
      limit: 5,
    });
    expect(page.items).toHaveLength(5);
    expect(page.items[0]!.processUs).toBe(slowProcessUs.at(-1));
    expect(page.items[0]!.http).toEqual({
      method: 'GET',
      path: '/slow/1049',
      pathTruncated: false,
      status: 200,
      route: '/slow/{n}',
    });
    expect(await caller().records.count({ route: '/slow/{n}' })).toEqual({
      count: 50,
      capped: false,
    });
  });

  it('combine method, route and status', async () => {
    const count = (f: { method?: 'GET' | 'POST'; route?: string; status?: number }) =>
      caller().records.count({ localPort: WEB, ...f });
    expect((await count({ method: 'POST' })).count).toBe(21);
    expect((await count({ status: 503 })).count).toBe(10);
    expect((await count({ method: 'GET', status: 404 })).count).toBe(20);
    // The W of /fast keeps its request too; the task without a request matches no filter.
    expect((await count({ route: '/fast' })).count).toBe(100 + 1 + 1 + 1);
    expect((await count({ method: 'GET', route: '/users/{id}/orders' })).count).toBe(0);
  });

  it('reject a bad filter with a 400 over REST', async () => {
    for (const query of ['method=FETCH', 'status=42', 'status=2xx', `route=/${'a'.repeat(200)}`]) {
      const res = await fetch(`${h.agent.url}/api/records?${query}`);
      expect([query, res.status]).toEqual([query, 400]);
    }
  });
});

describe('the route bound', () => {
  it('keeps 10,000 distinct paths of a port within MAX_ROUTES_PER_PORT routes, also after a restart', async () => {
    const paths = Array.from(
      { length: 10_000 },
      (_, i) => `/r/${i.toString(36)}q${Math.random().toString(36).slice(2, 6)}`,
    );
    h.collector.emit(
      ...paths.map((p, i) => task(BASE_MS + 2000 + i, RANDOM, exchange('GET', p, 200), 100)),
    );
    await h.agent.flush();
    const e = await caller().stats.endpoints({ port: RANDOM, ...WINDOW });
    expect(e.routes).toHaveLength(MAX_ROUTES_PER_PORT + 1);
    const other = e.routes.find((r) => r.route === OTHER_ROUTE)!;
    expect(other.count).toBe(10_000 - MAX_ROUTES_PER_PORT);
    expect(e.routes.reduce((n, r) => n + r.count, 0)).toBe(10_000);

    // A restarted agent groups as before: the routes it held stay, new paths still go to {other}.
    const kept = e.routes.find((r) => r.route !== OTHER_ROUTE)!.route;
    await h.stop();
    h = await startHarness(CONFIG, h.dir);
    h.collector.emit(
      task(BASE_MS + 30_000, RANDOM, exchange('GET', kept, 200), 100),
      task(BASE_MS + 30_001, RANDOM, exchange('GET', '/brand/new', 200), 100),
    );
    await h.agent.flush();
    const after = await caller().records.list({
      localPort: RANDOM,
      fromMs: BASE_MS + 30_000,
      sort: 'time',
      order: 'asc',
      limit: 10,
    });
    expect(after.items.map((r) => r.http?.route)).toEqual([kept, OTHER_ROUTE]);
  });
});
