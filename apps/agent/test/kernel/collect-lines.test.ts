import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import type net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeKernel } from '@tcprt/testkit/describeKernel';
import {
  dumpConfigYaml,
  parseStatsLine,
  tcprtConfigSchema,
  type RRecord,
  type TcprtConfigInput,
} from '@tcprt/schema';
import { startCollect } from '@tcprt/testkit/collect';
import { freePort } from '@tcprt/testkit/freePort';
import { makeTempDir } from '@tcprt/testkit/tempDir';
import { waitUntil } from '@tcprt/testkit/waitUntil';
import { programIdsHeldBy, waitForProgramsFreed } from './core-collector-run';
import { connectLineClient } from './core-line-client';
import { startLineServer } from './core-line-server';

/*
 * `tcprt collect` with the loader writing the log lines to collect's stdout itself (loader
 * --output lines): the wall-clock header the loader computes, stats switched on by a hot reload
 * (record frames to Node only then), and the end of a `tcprt collect | head` pipeline. Needs root
 * and the built loader: it fails, never skips, without them.
 */

const TCPRT_BIN = path.resolve(import.meta.dirname, '../../bin/tcprt');
const REQUEST = 'GET /thing\n';
const RESPONSE_BYTES = 3000;
const DELAY_MS = 100;
// The server sleeps DELAY_MS in this process: a late timer or a busy machine can only add time.
const LATE_TOLERANCE_US = 20_000;

let port: number;
let server: net.Server;

beforeAll(async () => {
  port = await freePort();
  server = await startLineServer({
    host: '127.0.0.1',
    port,
    delayMs: DELAY_MS,
    responseBytes: RESPONSE_BYTES,
  });
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

async function exchange(): Promise<number> {
  const client = await connectLineClient('127.0.0.1', port);
  await client.request(REQUEST, RESPONSE_BYTES);
  await client.end();
  return client.localPort;
}

const yaml = (config: TcprtConfigInput) => dumpConfigYaml(tcprtConfigSchema.parse(config));

describeKernel('tcprt collect, lines written by the loader', () => {
  it('prints the R line of a request with a known delay, stamped with the wall clock of the request', async () => {
    const collect = await startCollect({ 'per-port': [{ port }] });
    try {
      const beforeUs = Date.now() * 1000;
      const clientPort = await exchange();
      const afterUs = Date.now() * 1000;
      const ofClient = () =>
        collect.records().filter((r) => r.local.port === port && r.peer.port === clientPort);
      await collect.waitForLines('R and E of the connection', () =>
        ofClient().some((r) => r.type === 'E'),
      );
      const [r, e] = ofClient();
      expect([r?.type, e?.type]).toEqual(['R', 'E']);
      const record = r as RRecord;
      expect(record.processUs).toBeGreaterThanOrEqual(DELAY_MS * 1000);
      expect(record.processUs).toBeLessThan(DELAY_MS * 1000 + LATE_TOLERANCE_US);
      expect([record.bytesSent, record.bytesReceived]).toEqual([RESPONSE_BYTES, REQUEST.length]);
      // T0 lies between the two clock readings around the exchange (Date.now() has ms steps).
      const startUs = record.startSec * 1_000_000 + record.startUsec;
      expect(startUs).toBeGreaterThanOrEqual(beforeUs - 1000);
      expect(startUs).toBeLessThanOrEqual(afterUs + 1000);
    } finally {
      await collect.stop();
    }
  });

  it('starts printing stats lines when a hot reload enables stats, counting the records after it', async () => {
    const collect = await startCollect({ 'per-port': [{ port }] });
    try {
      await exchange(); // stats disabled: no record frames reach Node, nothing is counted
      await collect.waitForLines('the first R line', (lines) =>
        lines.some((l) => l.startsWith('V6 R')),
      );
      await writeFile(
        collect.configFile,
        yaml({ global: { stats: 'enable', stats_interval: 1 }, 'per-port': [{ port }] }),
      );
      await waitUntil('the reload', () => collect.stderr().includes('rules applied'), 10_000);
      for (let i = 0; i < 3; i++) await exchange();
      const counted = () =>
        collect
          .lines()
          .filter((l) => !l.startsWith('V'))
          .map((l) => parseStatsLine(l))
          .reduce((sum, l) => sum + (l.port === port ? l.count : 0), 0);
      await collect.waitForLines('stats lines counting 3 records', () => counted() >= 3);
      expect(counted()).toBe(3);
      // Every stdout line is whole: a stats line never lands inside a record line.
      collect.records();
    } finally {
      await collect.stop();
    }
  });

  it('ends with status 0 and detaches when its stdout closes (`tcprt collect | head -1`)', async () => {
    const dir = await makeTempDir('collect-head');
    const configFile = path.join(dir.path, 'tcprt.yaml');
    await writeFile(configFile, yaml({ 'per-port': [{ port }] }));
    const child = spawn(TCPRT_BIN, ['collect', '--config', configFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const exit = new Promise<number | null>((resolve) => child.once('close', resolve));
    try {
      await waitUntil(
        'tcprt collect to attach',
        () => stderr.includes('tcprt collect: attached'),
        30_000,
      );
      const loader = await descendantNamed(child.pid!, 'tcprt-collector');
      const programs = await programIdsHeldBy(loader);
      expect(programs.length).toBeGreaterThan(0);
      const firstLine = new Promise<string>((resolve) =>
        child.stdout.setEncoding('utf8').once('data', resolve),
      );
      await exchange();
      expect(await firstLine).toMatch(/^V6 R /);
      child.stdout.destroy(); // the reader goes away, as `head` does after its line
      await exchange(); // the loader's next write finds the pipe closed
      expect(await exit).toBe(0);
      expect(stderr).toContain('tcprt-collector: stdout closed');
      await waitForProgramsFreed(programs);
    } finally {
      child.kill('SIGTERM');
      await exit;
      await dir.remove();
    }
  });
});

/** The pid of the first process called `name` below `root` (the loader under tsx and node). */
async function descendantNamed(root: number, name: string): Promise<number> {
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const close = stat.lastIndexOf(')');
    if (close < 0) continue;
    names.set(Number(entry), stat.slice(stat.indexOf('(') + 1, close));
    parents.set(Number(entry), Number(stat.slice(close + 2).split(' ')[1]));
  }
  const isBelowRoot = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) {
      if (p === root) return true;
    }
    return false;
  };
  const found = [...names].find(([pid, comm]) => comm === name && isBelowRoot(pid));
  if (!found) throw new Error(`no ${name} process below ${root}`);
  return found[0];
}
