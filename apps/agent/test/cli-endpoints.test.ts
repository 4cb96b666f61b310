import { afterAll, beforeAll, expect, it } from 'vitest';
import path from 'node:path';
import { startHarness, type Harness } from './fixtures/agent-harness';
import { rRecord } from './fixtures/records';
import { runCommand } from '@tcprt/testkit/command';

const TCPRT = path.resolve(import.meta.dirname, '../bin/tcprt');
let h: Harness;
const tcprt = (args: string[]) =>
  runCommand([TCPRT, ...args, '--data-dir', h.dataDir], { allowFailure: true, timeoutMs: 60_000 });
const BASE_US = Date.UTC(2026, 2, 3, 4, 5, 6) * 1000;
const WINDOW = ['--since', '2026-03-03T04:00:00Z', '--until', '2026-03-03T04:10:00Z'];

beforeAll(async () => {
  h = await startHarness('per-port:\n  - port: 8080\n    mode: http\n');
  const task = (i: number, path: string, status: number, processUs: number) => ({
    ...rRecord(
      BASE_US + i * 1000,
      { local: 8080, peer: 45000 + i },
      { uploadUs: 1, processUs, downloadUs: 2 },
    ),
    http: { method: 'GET' as const, path, pathTruncated: false, status },
  });
  h.collector.emit(
    task(0, '/orders/17', 200, 100),
    task(1, '/orders/18', 503, 200),
    task(2, '/orders/19', 200, 300),
    task(3, '/health', 200, 10),
  );
  await h.agent.flush();
});
afterAll(async () => {
  await h.stop();
  await h.dir.remove();
});

// Each call starts the CLI through tsx, which takes seconds on a busy 2-core machine.
it(
  'endpoints prints the routes of a port; query filters by route and status',
  { timeout: 180_000 },
  async () => {
    const res = await tcprt(['endpoints', '--port', '8080', ...WINDOW]);
    expect(res.exitCode).toBe(0);
    expect(res.stdout).toMatch(/^port 8080 \(server side\), .*: 2 routes \(at most 100 per port/);
    const rows = res.stdout
      .split('\n')
      .filter((l) => /^GET /.test(l))
      .map((l) => l.trim().split(/\s+/));
    // method, tasks, per_s, 5xx_%, p50, p90, p99, proc_p50, down_p50, route: 3 tasks in 600 s.
    expect(rows.map((r) => [r[0], r[1], r[2], r[3], r.at(-1)])).toEqual([
      ['GET', '3', '0.01', '33.3', '/orders/{n}'],
      ['GET', '1', '0.00', '0.0', '/health'],
    ]);
    const failed = await tcprt(['query', '--route', '/orders/{n}', '--status', '503', '--json']);
    expect(failed.exitCode).toBe(0);
    const lines = failed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { peerPort: number; http: unknown });
    expect(lines.map((l) => [l.peerPort, l.http])).toEqual([
      [
        45001,
        {
          method: 'GET',
          path: '/orders/18',
          pathTruncated: false,
          status: 503,
          route: '/orders/{n}',
        },
      ],
    ]);
    const bad = await tcprt(['endpoints']);
    expect([bad.exitCode, bad.stderr]).toEqual([2, expect.stringMatching(/--port N is required/)]);
  },
);
