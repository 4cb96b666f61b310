/*
 * Query latency of the console's main API calls over a database of 10 million records.
 *
 * Builds the database once through the agent's own write path (DatabaseWriter: rows, minute
 * rollups, routes) — 20 server ports (the first two in http mode: their tasks carry a request of
 * one of 40 routes with ids in the paths, 5 % answered 404 and 1 % 500), keep-alive connections of
 * 1–5 tasks, 2 % closed while sending or receiving, 7 days ending now — or reuses one given with
 * --data-dir. Then starts the agent on it
 * (no collector) and times each query over HTTP with varied parameters, printing p50/p95/max.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigYaml, type HttpExchange, type TcprtRecord } from '@tcprt/schema';
import { Agent } from '@tcprt/agent/agent';
import { DATABASE_FILE } from '@tcprt/agent/defaults';
import { openDatabase } from '@tcprt/agent/store/database';
import { DatabaseWriter } from '@tcprt/agent/store/writer/database-writer';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '10000000' },
    'data-dir': { type: 'string', default: path.join(os.tmpdir(), 'tcprt-bench-query') },
    runs: { type: 'string', default: '40' },
  },
});
const total = Number(values.records);
const dataDir = path.resolve(values['data-dir']);
const runs = Number(values.runs);
const PORTS = Array.from({ length: 20 }, (_, i) => 8000 + i);
const SPAN_US = 6.9 * 86_400 * 1e6;
/** Ports in http mode: their tasks carry a request. */
const HTTP_PORTS = PORTS.slice(0, 2);
const RESOURCES = ['users', 'orders', 'items', 'carts', 'invoices', 'search', 'health', 'login'];

/** One of 40 routes: /api/<resource>, /api/<resource>/<id>, …/<id>/history, and some static files. */
function httpExchange(rnd: () => number): HttpExchange {
  const resource = RESOURCES[Math.floor(rnd() * RESOURCES.length)]!;
  const shape = Math.floor(rnd() * 5);
  const id = Math.floor(rnd() * 1e6);
  const path = [
    `/api/${resource}`,
    `/api/${resource}/${id}`,
    `/api/${resource}/${id}/history`,
    `/static/${resource}.js`,
    `/api/v2/${resource}`,
  ][shape]!;
  const fate = rnd();
  return {
    method: shape === 1 && rnd() < 0.3 ? 'PUT' : 'GET',
    path,
    pathTruncated: false,
    status: fate < 0.01 ? 500 : fate < 0.06 ? 404 : 200,
  };
}

/** A deterministic pseudo-random sequence, so every build is the same database. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function build(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const db = openDatabase(path.join(dataDir, DATABASE_FILE));
  const writer = new DatabaseWriter(db);
  const config = loadConfigYaml(configYaml());
  if (!config.ok) throw new Error('the benchmark config does not load');
  writer.setConfig(config.config);
  const rnd = random(42);
  const endUs = Date.now() * 1000;
  const startUs = endUs - SPAN_US;
  const started = performance.now();
  let written = 0;
  let reported = 0;
  let conn = 0;
  while (written < total) {
    conn++;
    const port = PORTS[Math.floor(rnd() * rnd() * PORTS.length)] ?? 8000;
    const peer = {
      ip: `10.${(conn >> 16) & 255}.${(conn >> 8) & 255}.${conn & 255}`,
      port: 32768 + (conn % 28000),
    };
    const local = { ip: '127.0.0.1', port };
    let t = startUs + Math.floor((SPAN_US * written) / total);
    const tasks = 1 + Math.floor(rnd() * 5);
    const fate = rnd();
    const header = () => ({
      version: 'V6' as const,
      startSec: Math.floor(t / 1e6),
      startUsec: t % 1e6,
      peer,
      local,
    });
    for (let task = 1; task <= tasks && written < total; task++) {
      const processUs = Math.floor(200 + 2000 * -Math.log(1 - rnd()));
      const uploadUs = Math.floor(rnd() * 200);
      const totalUs = uploadUs + processUs + Math.floor(rnd() * 500);
      const last = task === tasks;
      let r: TcprtRecord;
      if (last && fate < 0.01) {
        r = {
          type: 'W',
          ...header(),
          bytesSent: 9000,
          elapsedUs: totalUs,
          minRttUs: 40,
          retrans: 0,
          taskNum: task,
          processUs,
          uploadUs,
          bytesUnacked: 4000,
          reorder: 0,
          mss: 1448,
        };
      } else if (last && fate < 0.02) {
        r = {
          type: 'N',
          ...header(),
          taskNum: task,
          elapsedUs: uploadUs,
          bytesReceived: 300,
          reorder: 0,
          mss: 1448,
        };
      } else {
        r = {
          type: 'R',
          ...header(),
          bytesSent: 1000 + Math.floor(rnd() * 20000),
          totalUs,
          minRttUs: 40,
          retrans: rnd() < 0.01 ? 1 : 0,
          taskNum: task,
          processUs,
          uploadUs,
          bytesReceived: 200 + Math.floor(rnd() * 800),
          reorder: 0,
          mss: 1448,
        };
        if (HTTP_PORTS.includes(port)) r.http = httpExchange(rnd);
      }
      writer.add(r);
      written++;
      t += totalUs + Math.floor(rnd() * 1000);
    }
    if (written < total) {
      writer.add({
        type: 'E',
        ...header(),
        taskNum: tasks,
        bytesSent: 5000,
        bytesUnacked: 0,
        bytesReceived: 900,
        retrans: 0,
        minRttUs: 40,
      });
      written++;
    }
    if (written - reported >= 1_000_000) {
      reported = written;
      process.stderr.write(
        `built ${written} records (${Math.round(written / ((performance.now() - started) / 1000))}/s)\n`,
      );
    }
  }
  await writer.close();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

function configYaml(): string {
  const rule = (p: number) => `  - port: ${p}\n${HTTP_PORTS.includes(p) ? '    mode: http\n' : ''}`;
  return `per-port:\n${PORTS.map(rule).join('')}`;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;
}

async function main(): Promise<void> {
  if (!existsSync(path.join(dataDir, DATABASE_FILE))) await build();
  const configPath = path.join(dataDir, 'tcprt.yaml');
  writeFileSync(configPath, configYaml());
  const agent = await Agent.start({
    configPath,
    dataDir,
    listen: { host: '127.0.0.1', port: 0 },
    // History only: no collector runs during the query benchmark.
    startCollector: () => ({ applyConfig() {}, deactivate() {}, activate() {}, stop() {} }),
    retention: { maxAgeSec: 30 * 86_400, maxSizeBytes: 64 * 1024 ** 3 },
  });
  try {
    const status = agent.status();
    console.log(
      `database: ${status.database.records} records, ${(status.database.sizeBytes / 1048576).toFixed(0)} MiB`,
    );
    const nowMs = Date.now();
    const hourAgo = nowMs - 3_600_000;
    const dayAgo = nowMs - 86_400_000;
    const weekAgo = nowMs - 7 * 86_400_000;
    const rnd = random(7);
    const port = () => PORTS[Math.floor(rnd() * 5)] ?? 8000;
    const httpPort = () => HTTP_PORTS[Math.floor(rnd() * HTTP_PORTS.length)] ?? 8000;
    const get = async (p: string) => {
      const res = await fetch(agent.url + p);
      if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<Record<string, unknown>>;
    };
    const someConnection = async () =>
      (
        (await get(`/api/records?localPort=${port()}&limit=50`)).items as { connectionId: number }[]
      )[Math.floor(rnd() * 50)]?.connectionId ?? 1;
    const queries: [string, () => string | Promise<string>][] = [
      ['records: newest page', () => '/api/records?limit=100'],
      [
        'records: port, last hour',
        () => `/api/records?localPort=${port()}&fromMs=${hourAgo}&toMs=${nowMs}&limit=100`,
      ],
      [
        'records: port, slow (>10 ms process), last day',
        () =>
          `/api/records?localPort=${port()}&minProcessUs=10000&fromMs=${dayAgo}&toMs=${nowMs}&limit=100`,
      ],
      [
        'records: slowest total, last hour',
        () => `/api/records?sort=total&fromMs=${hourAgo}&toMs=${nowMs}&limit=100`,
      ],
      [
        'records: W+N closes, last day',
        () => `/api/records?kinds=W,N&fromMs=${dayAgo}&toMs=${nowMs}&limit=100`,
      ],
      [
        'records: page 5 via cursor',
        async () => {
          let cursor = '';
          for (let i = 0; i < 4; i++)
            cursor = (
              await get(`/api/records?localPort=8000&limit=100${cursor ? `&cursor=${cursor}` : ''}`)
            ).nextCursor as string;
          return `/api/records?localPort=8000&limit=100&cursor=${cursor}`;
        },
      ],
      ['connection timeline', async () => `/api/connections/${await someConnection()}`],
      [
        'stats series: day, 5 min buckets',
        () => `/api/stats/series?port=${port()}&fromMs=${dayAgo}&toMs=${nowMs}&bucketSec=300`,
      ],
      [
        'stats series: week, 1 h buckets',
        () => `/api/stats/series?port=${port()}&fromMs=${weekAgo}&toMs=${nowMs}&bucketSec=3600`,
      ],
      [
        'close reasons: day, all ports, 1 h',
        () => `/api/stats/close-reasons?fromMs=${dayAgo}&toMs=${nowMs}&bucketSec=3600`,
      ],
      ['ports: last day', () => `/api/stats/ports?fromMs=${dayAgo}&toMs=${nowMs}`],
      [
        'stats series: 15 min, 10 s buckets',
        () =>
          `/api/stats/series?port=${port()}&fromMs=${nowMs - 900_000}&toMs=${nowMs}&bucketSec=10`,
      ],
      [
        'stats window: 15 min',
        () => `/api/stats/window?port=${port()}&fromMs=${nowMs - 900_000}&toMs=${nowMs}`,
      ],
      [
        'stats window: day',
        () => `/api/stats/window?port=${port()}&fromMs=${dayAgo}&toMs=${nowMs}`,
      ],
      [
        'stats window: week',
        () => `/api/stats/window?port=${port()}&fromMs=${weekAgo}&toMs=${nowMs}`,
      ],
      [
        'heatmap: 15 min, 10 s buckets',
        () =>
          `/api/stats/heatmap?port=${port()}&fromMs=${nowMs - 900_000}&toMs=${nowMs}&bucketSec=10`,
      ],
      [
        'heatmap: day, 15 min buckets',
        () => `/api/stats/heatmap?port=${port()}&fromMs=${dayAgo}&toMs=${nowMs}&bucketSec=900`,
      ],
      [
        'records count: port, last hour',
        () => `/api/records-count?localPort=${port()}&fromMs=${hourAgo}&toMs=${nowMs}`,
      ],
      [
        'records count: all, last day (capped)',
        () => `/api/records-count?fromMs=${dayAgo}&toMs=${nowMs}`,
      ],
      [
        'endpoints: http port, 15 min',
        () => `/api/stats/endpoints?port=${httpPort()}&fromMs=${nowMs - 900_000}&toMs=${nowMs}`,
      ],
      [
        'endpoints: http port, day',
        () => `/api/stats/endpoints?port=${httpPort()}&fromMs=${dayAgo}&toMs=${nowMs}`,
      ],
      [
        'endpoints: http port, week',
        () => `/api/stats/endpoints?port=${httpPort()}&fromMs=${weekAgo}&toMs=${nowMs}`,
      ],
      [
        'records: http port, one route, last day',
        () =>
          `/api/records?localPort=${httpPort()}&route=${encodeURIComponent('/api/users/{n}/history')}&fromMs=${dayAgo}&toMs=${nowMs}&limit=100`,
      ],
      [
        'records: status 500, last day',
        () => `/api/records?status=500&fromMs=${dayAgo}&toMs=${nowMs}&limit=100`,
      ],
      ['history span: last hour', () => `/api/history/span?fromMs=${hourAgo}&toMs=${nowMs}`],
      ['status', () => '/api/status'],
    ];
    console.log(
      `${'query'.padEnd(48)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)}`,
    );
    for (const [name, makePath] of queries) {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const p = await makePath();
        const t = performance.now();
        await get(p);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      const row = [percentile(times, 0.5), percentile(times, 0.95), times.at(-1) ?? NaN].map((v) =>
        v.toFixed(1).padStart(8),
      );
      console.log(`${name.padEnd(48)} ${row.join(' ')}`);
    }
  } finally {
    await agent.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
