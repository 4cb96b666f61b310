import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeKernel } from '@tcprt/testkit/describeKernel';
import {
  MAX_ROUTES_PER_PORT,
  OTHER_ROUTE,
  type EndpointRoute,
  type Endpoints,
  type RecordsPage,
} from '@tcprt/schema';
import { Agent } from '../../src/agent';
import { startRealCollector } from '../../src/supervisor/real-collector';
import { runCommand } from '@tcprt/testkit/command';
import { freePort } from '@tcprt/testkit/freePort';
import { startNginx, type NginxServer } from '@tcprt/testkit/nginx';
import { makeTempDir, type TempDir } from '@tcprt/testkit/tempDir';
import { waitForValue } from '@tcprt/testkit/waitUntil';

/*
 * Endpoints (issue 20) end to end on the real kernel: nginx in http mode with a fast location,
 * /slow/{id} proxied to a 100 ms upstream, a missing page (404), a location answering 503 and
 * /mixed/{id} whose upstream fails every odd id (500). The agent's API must list one row per
 * route (ids grouped), p50s within 10 % of what the client measured, and the right 5xx ratios.
 * Then 10,000 distinct random paths on the same port stay within the port's route bound.
 */

const UPSTREAM_DELAY_MS = 100;
const SLOW = 20;
const FAST = 20;
const MISSING = 10;
const BROKEN = 6;
const MIXED = 10;
const RANDOM_PATHS = 10_000;

let dir: TempDir;
let agent: Agent | undefined;
let upstream: http.Server;
let nginx: NginxServer;
let fromMs = 0;

beforeAll(async () => {
  dir = await makeTempDir('endpoints-agent');
  upstream = http.createServer((req, res) => {
    const id = Number(/\/(\d+)$/.exec(req.url ?? '')?.[1]);
    if (req.url?.startsWith('/mixed/')) {
      res.statusCode = id % 2 ? 500 : 200;
      res.end('mixed\n');
    } else setTimeout(() => res.end('slow\n'), UPSTREAM_DELAY_MS);
  });
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  const upstreamPort = (upstream.address() as { port: number }).port;
  nginx = await startNginx({
    port: await freePort(),
    files: { fast: 'fast\n' },
    serverDirectives: [
      `    location /slow/ { proxy_pass http://127.0.0.1:${upstreamPort}; }`,
      `    location /mixed/ { proxy_pass http://127.0.0.1:${upstreamPort}; }`,
      '    location = /broken { return 503; }',
      '',
    ].join('\n'),
  });
  const configPath = path.join(dir.path, 'tcprt.yaml');
  writeFileSync(configPath, `per-port:\n  - port: ${nginx.port}\n    mode: http\n`);
  agent = await Agent.start({
    configPath,
    dataDir: path.join(dir.path, 'data'),
    listen: { host: '127.0.0.1', port: 0 },
    startCollector: startRealCollector,
  });
  fromMs = Date.now();
}, 60_000);

afterAll(async () => {
  try {
    await agent?.stop();
  } finally {
    upstream?.close();
    await nginx?.stop();
    await dir?.remove();
  }
});

async function api<T>(query: string): Promise<T> {
  if (!agent) throw new Error('agent not running');
  const res = await fetch(`${agent.url}/api/${query}`);
  if (!res.ok) throw new Error(`${query}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const endpoints = () =>
  api<Endpoints>(`stats/endpoints?port=${nginx.port}&fromMs=${fromMs}&toMs=${Date.now() + 1000}`);

/** Waits until the API has `count` tasks in all. */
async function endpointsWith(count: number): Promise<Endpoints> {
  return waitForValue(
    `${count} tasks in stats.endpoints`,
    async () => {
      const e = await endpoints();
      return e.routes.reduce((n, r) => n + r.count, 0) >= count ? e : undefined;
    },
    30_000,
    200,
  );
}

/**
 * One curl process fetching `paths` over one keep-alive connection: each transfer's status and its
 * time from sending the request to the last byte (time_total less the connect time, which only
 * the first transfer has), in µs.
 */
async function curl(paths: string[]): Promise<{ status: number; us: number }[]> {
  const args = paths.flatMap((p) => ['-o', '/dev/null', `http://127.0.0.1:${nginx.port}${p}`]);
  const { stdout } = await runCommand(
    ['curl', '-sS', '-w', '%{http_code} %{time_total} %{time_connect}\\n', ...args],
    { timeoutMs: 60_000 },
  );
  return stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [status, total, connect] = line.split(' ').map(Number);
      return { status: status!, us: Math.round((total! - connect!) * 1e6) };
    });
}

/**
 * A distinct path of letters only (no digits: the normaliser leaves words alone, so each path
 * would be a route of its own if the port had no bound).
 */
function randomWordPath(i: number): string {
  const letters = (n: number, seed: number) =>
    Array.from({ length: n }, (_, k) =>
      String.fromCharCode(97 + (Math.floor(Math.random() * 26 + seed * (k + 1)) % 26)),
    ).join('');
  return `/r/${letters(6, i)}/${i.toString(26).replace(/[0-9]/g, (d) => 'qrstuvwxyz'[Number(d)]!)}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length / 2) - 1]!;
}

describeKernel('endpoints on the real kernel: nginx in http mode through the agent', () => {
  it('lists GET /fast, GET /slow/{n} (one row), the 404 and 5xx routes, with p50s and error ratios right', async () => {
    const ids = Array.from({ length: SLOW }, (_, i) => 1000 + i * 7919);
    const slow = await curl(ids.map((id) => `/slow/${id}`));
    const fast = await curl(Array.from({ length: FAST }, () => '/fast'));
    const other = await curl([
      ...Array.from({ length: MISSING }, () => '/missing-page'),
      ...Array.from({ length: BROKEN }, () => '/broken'),
      ...Array.from({ length: MIXED }, (_, i) => `/mixed/${i}`),
    ]);
    expect(slow.every((t) => t.status === 200) && fast.every((t) => t.status === 200)).toBe(true);
    expect(other.map((t) => t.status)).toEqual([
      ...Array<number>(MISSING).fill(404),
      ...Array<number>(BROKEN).fill(503),
      ...Array.from({ length: MIXED }, (_, i) => (i % 2 ? 500 : 200)),
    ]);

    const e = await endpointsWith(SLOW + FAST + MISSING + BROKEN + MIXED);
    const rows = (route: string) => e.routes.filter((r) => r.route === route);
    expect(e.routes.map((r) => `${r.method} ${r.route} ${r.count}`).sort()).toEqual(
      [
        `GET /fast ${FAST}`,
        `GET /slow/{n} ${SLOW}`,
        `GET /missing-page ${MISSING}`,
        `GET /broken ${BROKEN}`,
        `GET /mixed/{n} ${MIXED}`,
      ].sort(),
    );
    const slowRoute: EndpointRoute = rows('/slow/{n}')[0]!;
    // The truth: what the client measured per request, and the upstream's 100 ms.
    const truthTotalUs = median(slow.map((t) => t.us));
    console.log(
      `slow route: p50 total ${slowRoute.total.p50Us} µs (client ${truthTotalUs} µs), p50 process ${slowRoute.process.p50Us} µs`,
    );
    expect(Math.abs(slowRoute.total.p50Us - truthTotalUs) / truthTotalUs).toBeLessThan(0.1);
    const delayUs = UPSTREAM_DELAY_MS * 1000;
    expect(Math.abs(slowRoute.process.p50Us - delayUs) / delayUs).toBeLessThan(0.1);
    const fastRoute = rows('/fast')[0]!;
    expect(fastRoute.total.p50Us).toBeLessThan(5000);
    expect([slowRoute.errorRatio, fastRoute.errorRatio]).toEqual([0, 0]);
    expect(rows('/missing-page')[0]).toMatchObject({
      errorRatio: 0,
      statusCounts: { '404': MISSING },
    });
    expect(rows('/broken')[0]).toMatchObject({ errorRatio: 1, serverErrors: BROKEN });
    expect(rows('/mixed/{n}')[0]).toMatchObject({
      errorRatio: 0.5,
      statusCounts: { '200': MIXED / 2, '500': MIXED / 2 },
    });

    // The task list shows and filters by method, route and status.
    const page = await api<RecordsPage>(
      `records?localPort=${nginx.port}&route=${encodeURIComponent('/slow/{n}')}&status=200&method=GET&limit=100`,
    );
    expect(page.items).toHaveLength(SLOW);
    expect(page.items.map((r) => r.http?.path).sort()).toEqual(
      ids.map((id) => `/slow/${id}`).sort(),
    );
  });

  it(`keeps ${RANDOM_PATHS} distinct random paths within ${MAX_ROUTES_PER_PORT} routes (all the agent holds for the port)`, async () => {
    const before = (await endpoints()).routes.reduce((n, r) => n + r.count, 0);
    const heapBefore = process.memoryUsage().heapUsed;
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 8 });
    let next = 0;
    const worker = async () => {
      while (next < RANDOM_PATHS) {
        const i = next++;
        const p = randomWordPath(i);
        await new Promise<void>((resolve, reject) => {
          http
            .get({ host: '127.0.0.1', port: nginx.port, path: p, agent: keepAlive }, (res) => {
              res.resume();
              res.on('end', resolve);
            })
            .on('error', reject);
        });
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    keepAlive.destroy();
    const e = await endpointsWith(before + RANDOM_PATHS);
    const heapAfter = process.memoryUsage().heapUsed;
    console.log(
      `${RANDOM_PATHS} random paths: ${e.routes.length} routes, heap ${Math.round(heapBefore / 1048576)} → ${Math.round(heapAfter / 1048576)} MiB`,
    );
    // The five routes of the first test plus the first random ones fill the port; the rest is {other}.
    const distinct = new Set(e.routes.map((r) => r.route));
    expect(distinct.size).toBe(MAX_ROUTES_PER_PORT + 1);
    expect(distinct.has(OTHER_ROUTE)).toBe(true);
    const other = e.routes.find((r) => r.route === OTHER_ROUTE)!;
    expect(other.count).toBe(RANDOM_PATHS - (MAX_ROUTES_PER_PORT - 5));
    expect(other.statusCounts).toEqual({ '404': other.count });
  });
});
