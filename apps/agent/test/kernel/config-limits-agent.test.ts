import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Status, StoredRecord } from '@tcprt/schema';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeKernel } from '@tcprt/testkit/describeKernel';
import { Agent } from '../../src/agent';
import { startRealCollector } from '../../src/supervisor/real-collector';
import { runCommand } from '@tcprt/testkit/command';
import { freePort } from '@tcprt/testkit/freePort';
import { startNginx, type NginxServer } from '@tcprt/testkit/nginx';
import { makeTempDir, type TempDir } from '@tcprt/testkit/tempDir';
import { waitUntil } from '@tcprt/testkit/waitUntil';

/*
 * The agent with the real collector: a rule set over the kernel's map limits is rejected in
 * status and never reaches the loader; the earlier rules keep being tracked, also after the
 * collector is killed and restarted; the time it was not attached shows as a gap in status.
 */

let dir: TempDir;
let agent: Agent | undefined;
let nginx: NginxServer;
let configPath: string;

beforeAll(async () => {
  dir = await makeTempDir('config-limits-agent');
  nginx = await startNginx({ port: await freePort(), files: { 'index.html': 'hello\n' } });
  configPath = path.join(dir.path, 'tcprt.yaml');
  writeFileSync(configPath, `per-port:\n  - port: ${nginx.port}\n`);
  agent = await Agent.start({
    configPath,
    dataDir: path.join(dir.path, 'data'),
    listen: { host: '127.0.0.1', port: 0 },
    startCollector: startRealCollector,
  });
});

afterAll(async () => {
  try {
    await agent?.stop();
  } finally {
    await nginx?.stop();
    await dir?.remove();
  }
});

async function api<T>(route: string): Promise<T> {
  const res = await fetch(`${agent!.url}/api/${route}`);
  if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
const status = () => api<Status>('status');
const recordsOnNginx = async () =>
  (await api<{ items: StoredRecord[] }>(`records?localPort=${nginx.port}&kinds=R&limit=500`)).items
    .length;

async function request(): Promise<void> {
  await runCommand(['curl', '-sS', '--fail', '-o', '/dev/null', nginx.baseUrl]);
}

/** The loader process this test's agent started (a child of this process). */
function loaderPid(): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8').trim();
      const [, comm, rest] = /^\d+ \((.*)\) (.*)$/.exec(stat) ?? [];
      if (comm === 'tcprt-collector' && Number(rest?.split(' ')[1]) === process.pid)
        return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  throw new Error('no tcprt-collector child of this process');
}

describeKernel('rule sets over the map limits, with the real collector', () => {
  it('rejects rules over the map limits in status and keeps tracking the earlier rules across a collector restart', async () => {
    await request();
    await waitUntil(
      'a record of the tracked port',
      async () => (await recordsOnNginx()) >= 1,
      15_000,
    );

    // 1100 more ports, none of them nginx's (a duplicate would add an error of its own).
    const over = Array.from({ length: 1101 }, (_, i) => 20_000 + i)
      .filter((port) => port !== nginx.port)
      .slice(0, 1100)
      .map((port) => `  - port: ${port}\n`)
      .join('');
    // Written beside and renamed over: the agent never sees half of it.
    writeFileSync(`${configPath}.new`, `per-port:\n  - port: ${nginx.port}\n${over}`);
    renameSync(`${configPath}.new`, configPath);
    await waitUntil('the rejection', async () => (await status()).config.errors.length > 0, 5000);
    expect((await status()).config.errors).toEqual([
      {
        line: 1,
        path: 'per-port',
        message: '1101 single-port rules, the kernel holds at most 1024',
      },
    ]);
    expect((await api<{ rules: unknown[] }>('config/rules')).rules).toEqual([
      { port: nginx.port, mode: 'default', first_frame: 'disable' },
    ]);

    const killedAtMs = Date.now();
    process.kill(loaderPid(), 'SIGKILL');
    await waitUntil(
      'the collector back with the gap closed',
      async () => {
        const s = await status();
        return s.collector.state === 'running' && s.collector.gaps.at(-1)?.endMs != null;
      },
      20_000,
    );
    const s = await status();
    expect(s.collector.restarts).toBe(1);
    expect(s.collector.gaps).toHaveLength(1);
    const gap = s.collector.gaps[0]!;
    expect(gap.startMs).toBeGreaterThanOrEqual(killedAtMs);
    expect(gap.endMs!).toBeGreaterThan(gap.startMs);
    expect(gap.reason).toMatch(/exited|SIGKILL/);
    // Still rejected, and the earlier rule still tracked by the restarted collector.
    expect(s.config.errors).toHaveLength(1);
    const before = await recordsOnNginx();
    await request();
    await waitUntil(
      'a record after the restart',
      async () => (await recordsOnNginx()) > before,
      15_000,
    );
  });
});
