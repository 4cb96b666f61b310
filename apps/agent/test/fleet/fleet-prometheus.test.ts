import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeKernel } from '@tcprt/testkit/describeKernel';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { StoredRecord } from '@tcprt/schema';
import { Agent } from '../../src/agent';
import { startRealCollector } from '../../src/supervisor/real-collector';
import { startDelayServer } from '../e2e/delay-server';
import { freePort } from '@tcprt/testkit/freePort';
import { startPrometheus, type PrometheusRun } from '@tcprt/testkit/prometheus';
import type { Service } from '@tcprt/testkit/service';
import { makeTempDir, type TempDir } from '@tcprt/testkit/tempDir';
import { waitUntil } from '@tcprt/testkit/waitUntil';

/*
 * Two agents with the real collector on this machine, scraped by Debian's Prometheus every
 * second as two instances: agent "slow" tracks a server that sleeps 200 ms, agent "fast" (listening
 * off loopback, so /metrics needs its token) tracks a server that answers at once. Needs root, the
 * built loader and the prometheus package: it fails, never skips, without them.
 */

const SLOW_MS = 200;
const SLOW_REQUESTS = 24;
const FAST_REQUESTS = 300;
/** One token for the whole fleet, as the README advises: one scrape job, one credential. */
const FLEET_TOKEN = randomBytes(32).toString('hex');
const DASHBOARD = path.resolve(
  import.meta.dirname,
  '../../../../deploy/grafana/tcprt-dashboard.json',
);

interface Host {
  agent: Agent;
  port: number;
  server: Service;
  /** Prometheus's `instance` label. */
  instance: string;
}

let dir: TempDir;
let slow: Host;
let fast: Host;
let prometheus: PrometheusRun;
/** Instance label of a scrape job that has no token for the off-loopback agent. */
let tokenless: string;

async function startHost(name: string, delayMs: number, listenHost: string): Promise<Host> {
  const port = await freePort();
  const server = await startDelayServer(port, delayMs, 2000);
  const configPath = path.join(dir.path, `${name}.yaml`);
  writeFileSync(configPath, `per-port:\n  - port: ${port}\n    mode: http\n`);
  const dataDir = path.join(dir.path, name);
  mkdirSync(dataDir, { mode: 0o700 });
  writeFileSync(path.join(dataDir, 'token'), `${FLEET_TOKEN}\n`, { mode: 0o600 });
  const agent = await Agent.start({
    configPath,
    dataDir,
    listen: { host: listenHost, port: await freePort() },
    startCollector: startRealCollector,
  });
  return { agent, port, server, instance: new URL(agent.localUrl).host };
}

/** `count` requests, `parallel` at a time, each on its own connection. */
async function requests(port: number, count: number, parallel: number): Promise<void> {
  let next = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
    });
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next++ < count) await one();
    }),
  );
}

async function storedTasks(host: Host): Promise<StoredRecord[]> {
  const res = await fetch(
    `${host.agent.localUrl}/api/records?localPort=${host.port}&kinds=R&limit=1000`,
    { headers: { authorization: `Bearer ${host.agent.token}` } },
  );
  if (!res.ok) throw new Error(`records: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { items: StoredRecord[] }).items;
}

async function scalar(expr: string): Promise<number> {
  const result = await prometheus.query(expr);
  if (result.length !== 1) throw new Error(`${expr}: ${result.length} series`);
  return result[0]!.value;
}

beforeAll(async () => {
  dir = await makeTempDir('fleet');
  slow = await startHost('slow', SLOW_MS, '127.0.0.1');
  fast = await startHost('fast', 0, '0.0.0.0');
  tokenless = `127.0.0.1:${new URL(fast.agent.localUrl).port}`;
  expect(fast.agent.token).toBe(slow.agent.token);
  prometheus = await startPrometheus([
    { job: 'tcprt', targets: [slow.instance, fast.instance], token: FLEET_TOKEN },
    { job: 'tcprt-no-token', targets: [tokenless] },
  ]);
  await Promise.all([requests(slow.port, SLOW_REQUESTS, 4), requests(fast.port, FAST_REQUESTS, 2)]);
  // Every request is one connection and one task: wait until each agent stored all of them.
  for (const [host, count] of [
    [slow, SLOW_REQUESTS],
    [fast, FAST_REQUESTS],
  ] as const) {
    await waitUntil(
      `${count} stored tasks on ${host.port}`,
      async () => {
        await host.agent.flush();
        return (await storedTasks(host)).length >= count;
      },
      15_000,
      200,
    );
  }
}, 240_000);

afterAll(async () => {
  await prometheus?.stop();
  for (const host of [slow, fast]) {
    await host?.agent.stop();
    await host?.server.stop();
  }
  await dir?.remove();
});

describeKernel('Prometheus scraping two agents', () => {
  it('counts exactly the R records each agent stored, per port', async () => {
    for (const host of [slow, fast]) {
      const stored = await storedTasks(host);
      expect(stored.every((r) => r.kind === 'R' && (r.bytesSent ?? 0) > 0)).toBe(true);
      const expr = `sum(tcprt_task_duration_seconds_count{job="tcprt",instance="${host.instance}",port="${host.port}"})`;
      // Traffic has stopped and is stored: the next scrape must carry the same count.
      await waitUntil(
        `${expr} = ${stored.length}`,
        async () => (await prometheus.query(expr))[0]?.value === stored.length,
        10_000,
        250,
      );
      expect(await scalar(expr)).toBe(stored.length);
      // Nothing else counted on the other agent under this port.
      const other = host === slow ? fast : slow;
      expect(
        await prometheus.query(
          `tcprt_task_duration_seconds_count{instance="${other.instance}",port="${host.port}"}`,
        ),
      ).toEqual([]);
    }
  });

  it('puts the median process time of the slow port at 200 ms and of the fast one below 2 ms', async () => {
    const median = (port: number) =>
      scalar(
        `histogram_quantile(0.5, sum by (le) (rate(tcprt_task_process_seconds_bucket{port="${port}"}[1m])))`,
      );
    const slowMedian = await median(slow.port);
    const fastMedian = await median(fast.port);
    console.log(`median process time: slow ${slowMedian} s, fast ${fastMedian} s`);
    expect(slowMedian).toBeGreaterThanOrEqual(0.18);
    expect(slowMedian).toBeLessThanOrEqual(0.25);
    expect(fastMedian).toBeLessThan(0.002);
  });

  it('refuses /metrics off loopback without the token; Prometheus with the token scrapes it', async () => {
    const bare = await fetch(`http://${tokenless}/metrics`);
    expect(bare.status).toBe(401);
    const targets = await prometheus.targets();
    const withToken = targets.find(
      (t) => t.job === 'tcprt' && t.instance === fast.instance && t.health === 'up',
    );
    expect(withToken).toBeDefined();
    await waitUntil(
      'the tokenless scrape to fail',
      async () =>
        (await prometheus.targets()).some((t) => t.job === 'tcprt-no-token' && t.health === 'down'),
      10_000,
      250,
    );
    const refused = (await prometheus.targets()).find(
      (t) => t.job === 'tcprt-no-token' && t.health === 'down',
    );
    expect(refused?.lastError).toContain('401');
    expect(await scalar(`up{job="tcprt-no-token"}`)).toBe(0);
    expect(await scalar(`up{job="tcprt",instance="${fast.instance}"}`)).toBe(1);
  });

  it('reports both agents healthy', async () => {
    for (const host of [slow, fast]) {
      expect(await scalar(`tcprt_collector_up{instance="${host.instance}"}`)).toBe(1);
      expect(await scalar(`tcprt_config_rejected{instance="${host.instance}"}`)).toBe(0);
      expect(await scalar(`sum(tcprt_records_lost_total{instance="${host.instance}"})`)).toBe(0);
    }
  });
});

describeKernel('the Grafana dashboard', () => {
  interface Panel {
    title: string;
    targets: { expr: string }[];
  }
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[] };

  it('uses only tcprt metrics, and every panel query returns data for each host and port', async () => {
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(6);
    for (const host of [slow, fast]) {
      for (const panel of dashboard.panels) {
        for (const target of panel.targets) {
          for (const name of target.expr.match(/\b[a-z_]+(?=\{|\[)/g) ?? [])
            if (!['rate', 'sum', 'histogram_quantile'].includes(name))
              expect(name).toMatch(/^tcprt_/);
          const expr = target.expr
            .replaceAll('$instance', host.instance)
            .replaceAll('$port', String(host.port))
            .replaceAll('$__rate_interval', '1m');
          const result = await prometheus.query(expr);
          expect(result.length, `${panel.title} (${host.instance}): ${expr}`).toBeGreaterThan(0);
        }
      }
    }
  });
});
