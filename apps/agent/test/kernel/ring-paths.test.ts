import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeKernel } from '@tcprt/testkit/describeKernel';
import type { TcprtRecord } from '@tcprt/schema';
import { freePort } from '@tcprt/testkit/freePort';
import type { RingPath } from '../../src/collector/abi';
import { runCollectorOn, type CollectorRun } from './core-collector-run';
import { connectLineClient } from './core-line-client';
import { startLineServers, type LineServers } from './core-line-servers';

/*
 * The two builds of the kernel programs (packages/bpf/src/bpf/ring.h): per-CPU batches, and
 * the one without BPF atomics that writes every entry straight into the ring buffer (what
 * kernels before 5.12 get; TCPRT_FORCE_NO_ATOMICS=1 forces it here). Both collectors run at
 * once and see the same connections, so their records must be the same, but for the times:
 * each build reads the clock in its own program run.
 */

const REQUEST = 'GET /thing\n';
const RESPONSE_BYTES = 3000;
// Both programs run in the same hook invocation, one after the other: microseconds apart.
const TIME_TOLERANCE_US = 1_000;
const TIME_FIELDS = new Set([
  'startSec',
  'startUsec',
  'totalUs',
  'processUs',
  'uploadUs',
  'elapsedUs',
  'serviceUs',
  'receiveUs',
  'minRttUs',
]);

const ports = { slow: 0, fast: 0 };
let servers: LineServers | undefined;

const collectorOn = (ringPath: RingPath) =>
  runCollectorOn(ringPath, { 'per-port': [{ port: ports.slow }, { port: ports.fast }] });

function key(r: TcprtRecord): string {
  const task = 'taskNum' in r ? r.taskNum : '-';
  return `${r.type} ${r.local.port} ${r.peer.port} ${task}`;
}

function startUs(r: TcprtRecord): number {
  return r.startSec * 1_000_000 + r.startUsec;
}

beforeAll(async () => {
  ports.slow = await freePort();
  ports.fast = await freePort();
  servers = await startLineServers([
    { host: '127.0.0.1', port: ports.slow, delayMs: 50, responseBytes: RESPONSE_BYTES },
    { host: '127.0.0.1', port: ports.fast, responseBytes: RESPONSE_BYTES },
  ]);
});

afterAll(async () => {
  await servers?.close();
});

describeKernel('ring paths', () => {
  it('records straight into the ring match the batched records of the same traffic', async () => {
    const batched = await collectorOn('batched');
    const direct = await collectorOn('direct');
    try {
      await batched.waitFor('a health frame', () => batched.healths.length > 0);
      await direct.waitFor('a health frame', () => direct.healths.length > 0);
      expect(batched.healths[0]?.ringPath).toBe('batched');
      expect(direct.healths[0]?.ringPath).toBe('direct');

      const clientPorts: number[] = [];
      for (const port of [ports.slow, ports.fast, ports.fast]) {
        const client = await connectLineClient('127.0.0.1', port);
        clientPorts.push(client.localPort);
        for (let i = 0; i < 3; i++) await client.request(REQUEST, RESPONSE_BYTES);
        await client.end();
      }
      // A request cut short: N, then E.
      const cut = await connectLineClient('127.0.0.1', ports.fast);
      clientPorts.push(cut.localPort);
      await cut.write('GET /unfinished');
      await cut.reset();

      const ended = (run: CollectorRun) => () =>
        clientPorts.every((p) => run.records.some((r) => r.type === 'E' && r.peer.port === p));
      await batched.waitFor('E records of every client (batched)', ended(batched));
      await direct.waitFor('E records of every client (direct)', ended(direct));

      const ours = (run: CollectorRun) =>
        new Map(
          run.records.filter((r) => clientPorts.includes(r.peer.port)).map((r) => [key(r), r]),
        );
      const fromBatched = ours(batched);
      const fromDirect = ours(direct);
      // 3 connections × (3 R + E), plus N and E of the cut one.
      expect(fromBatched.size).toBe(14);
      expect([...fromDirect.keys()].sort()).toEqual([...fromBatched.keys()].sort());
      for (const [k, b] of fromBatched) {
        const d = fromDirect.get(k) as Record<string, unknown> & TcprtRecord;
        // The close detail's time in its phase is a time too: compared below, within tolerance.
        const phaseUs = (r: TcprtRecord) => (r.type === 'E' ? r.close?.phaseUs : undefined);
        const untimed = (r: TcprtRecord) =>
          Object.fromEntries(
            Object.entries(r)
              .filter(([field]) => !TIME_FIELDS.has(field))
              .map(([field, value]) =>
                field === 'close' && value ? [field, { ...value, phaseUs: 0 }] : [field, value],
              ),
          );
        expect(untimed(d), k).toEqual(untimed(b));
        expect(Math.abs((phaseUs(d) ?? 0) - (phaseUs(b) ?? 0)), `${k} phaseUs`).toBeLessThanOrEqual(
          TIME_TOLERANCE_US,
        );
        expect(Math.abs(startUs(d) - startUs(b)), `${k} start`).toBeLessThanOrEqual(
          TIME_TOLERANCE_US,
        );
        for (const field of TIME_FIELDS) {
          if (field === 'startSec' || field === 'startUsec' || !(field in b)) continue;
          const diff = Math.abs(Number(d[field]) - Number((b as Record<string, unknown>)[field]));
          expect(diff, `${k} ${field}`).toBeLessThanOrEqual(TIME_TOLERANCE_US);
        }
      }
      // Each connection's E came after its other records in both.
      for (const run of [batched, direct]) {
        for (const p of clientPorts) {
          const types = run.records.filter((r) => r.peer.port === p).map((r) => r.type);
          expect(types.at(-1), `last record of client ${p}`).toBe('E');
        }
      }
      expect(batched.exits).toEqual([]);
      expect(direct.exits).toEqual([]);
    } finally {
      await direct.collector.stop();
      await batched.collector.stop();
    }
  });
});
