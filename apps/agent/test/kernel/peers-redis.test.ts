import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeKernel } from '@tcprt/testkit/describeKernel';
import type { ERecord, PRecord, RRecord, TcprtRecord } from '@tcprt/schema';
import { runCommand } from '@tcprt/testkit/command';
import { startCollect } from '@tcprt/testkit/collect';
import { freePort } from '@tcprt/testkit/freePort';
import { redisBenchmarkArgv, startRedis, type RedisServer } from '@tcprt/testkit/redis';
import { respCommandBytes } from '@tcprt/testkit/resp';

// Ground truth for every command: what redis-cli puts on the wire (a RESP array of bulk
// strings) and the exact reply redis-server sends back.
const COMMANDS: { args: string[]; reply: string }[] = [
  { args: ['SET', 'greeting', 'hello'], reply: '+OK\r\n' },
  { args: ['GET', 'greeting'], reply: '$5\r\nhello\r\n' },
  { args: ['INCR', 'counter'], reply: ':1\r\n' },
  { args: ['INCRBY', 'counter', '41'], reply: ':42\r\n' },
  { args: ['APPEND', 'greeting', '-world'], reply: ':11\r\n' },
  { args: ['GET', 'missing'], reply: '$-1\r\n' },
  { args: ['DEL', 'greeting', 'counter'], reply: ':2\r\n' },
];
// redis-cli reading commands from stdin first asks for COMMAND DOCS (checked below through
// redis' own command statistics); we send CLIENT INFO next to learn the connection's port.
const SESSION_PREAMBLE = [
  ['COMMAND', 'DOCS'],
  ['CLIENT', 'INFO'],
];
const TASKS_PER_SESSION = SESSION_PREAMBLE.length + COMMANDS.length;
const SANE_SERVER_TIME_US = 50_000;

let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedis({ port: await freePort() });
});
afterAll(async () => {
  await redis?.stop();
});

const redisCli = (args: string[], input?: string) =>
  runCommand(['redis-cli', '-h', '127.0.0.1', '-p', String(redis.port), ...args], { input });

/** One redis-cli connection running CLIENT INFO and COMMANDS; returns the client's port. */
async function runSession(): Promise<number> {
  const input = ['CLIENT INFO', ...COMMANDS.map((c) => c.args.join(' '))].join('\n') + '\n';
  const { stdout } = await redisCli([], input);
  const clientPort = /\baddr=127\.0\.0\.1:(\d+)\b/.exec(stdout)?.[1];
  if (!clientPort) throw new Error(`no client address in CLIENT INFO output:\n${stdout}`);
  return Number(clientPort);
}

async function commandDocsCalls(): Promise<number> {
  const { stdout } = await redisCli(['INFO', 'commandstats']);
  return Number(/cmdstat_command\|docs:calls=(\d+)/.exec(stdout)?.[1] ?? 0);
}

const isConnectionOf = (clientPort: number) => (r: TcprtRecord) =>
  r.local.ip === '127.0.0.1' &&
  r.peer.ip === '127.0.0.1' &&
  ((r.local.port === redis.port && r.peer.port === clientPort) ||
    (r.local.port === clientPort && r.peer.port === redis.port));

describeKernel('redis-server with redis-cli', () => {
  it('writes one R per command, numbered 1..n, then one E, with exact byte counts', async () => {
    await redisCli(['CONFIG', 'RESETSTAT']);
    const collect = await startCollect({ 'per-port': [{ port: redis.port }] });
    let clientPort: number;
    try {
      clientPort = await runSession();
      await collect.waitForLines('the E record of the redis-cli connection', () =>
        collect.records().some((r) => r.type === 'E' && isConnectionOf(clientPort)(r)),
      );
    } finally {
      await collect.stop();
    }
    expect(await commandDocsCalls()).toBe(1);

    const records = collect.records().filter(isConnectionOf(clientPort));
    expect(records.map((r) => r.type)).toEqual([
      ...Array<string>(TASKS_PER_SESSION).fill('R'),
      'E',
    ]);
    const tasks = records.slice(0, -1) as RRecord[];
    const close = records.at(-1) as ERecord;
    expect(tasks.map((r) => r.taskNum)).toEqual(tasks.map((_, i) => i + 1));
    expect(close.taskNum).toBe(TASKS_PER_SESSION);
    expect(tasks.every((r) => r.local.port === redis.port)).toBe(true);

    const commandTasks = tasks.slice(SESSION_PREAMBLE.length);
    expect(commandTasks.map((r) => r.bytesReceived)).toEqual(
      COMMANDS.map((c) => respCommandBytes(c.args)),
    );
    // Every reply is acknowledged before the next command; the last R is written at close and
    // must not count the FIN.
    expect(commandTasks.map((r) => r.bytesSent)).toEqual(
      COMMANDS.map((c) => Buffer.byteLength(c.reply)),
    );
    for (const r of tasks) {
      expect(r.processUs).toBeLessThan(SANE_SERVER_TIME_US);
      expect(r.uploadUs).toBeLessThan(SANE_SERVER_TIME_US);
      expect(r.totalUs).toBeGreaterThanOrEqual(r.processUs + r.uploadUs);
    }
    expect(close.bytesReceived).toBe(tasks.reduce((sum, r) => sum + r.bytesReceived, 0));
    expect(close.bytesReceived).toBe(
      [...SESSION_PREAMBLE, ...COMMANDS.map((c) => c.args)].reduce(
        (s, a) => s + respCommandBytes(a),
        0,
      ),
    );
  });

  it('counts redis-benchmark requests exactly: one R per request on each benchmark connection', async () => {
    const requests = 2000;
    await redisCli(['CONFIG', 'RESETSTAT']);
    const collect = await startCollect({ 'per-port': [{ port: redis.port }] });
    let benchmarkOutput: string;
    try {
      // One client, no pipelining: every SET is its own request/response exchange.
      ({ stdout: benchmarkOutput } = await runCommand(
        [
          ...redisBenchmarkArgv({ port: redis.port, connections: 1, requests, command: 'set' }),
          '-q',
        ],
        { timeoutMs: 60_000 },
      ));
      await collect.waitForLines(`an E record with ${requests} tasks`, () =>
        collect
          .records()
          .some((r) => r.type === 'E' && r.local.port === redis.port && r.taskNum === requests),
      );
    } finally {
      await collect.stop();
    }
    const { stdout: stats } = await redisCli(['INFO', 'commandstats']);
    const setCalls = Number(/cmdstat_set:calls=(\d+)/.exec(stats)?.[1]);
    expect(setCalls, benchmarkOutput).toBe(requests);

    const onServer = collect.records().filter((r) => r.local.port === redis.port);
    const benchmarkClose = onServer.find(
      (r): r is ERecord => r.type === 'E' && r.taskNum === requests,
    )!;
    const benchmarkTasks = onServer.filter(
      (r): r is RRecord => r.type === 'R' && r.peer.port === benchmarkClose.peer.port,
    );
    expect(benchmarkTasks.map((r) => r.taskNum)).toEqual(benchmarkTasks.map((_, i) => i + 1));
    expect(benchmarkTasks).toHaveLength(requests);
    expect(benchmarkTasks.every((r) => r.bytesSent === '+OK\r\n'.length)).toBe(true);
  });
});

describeKernel('redis-cli as a client in peer mode', () => {
  it('writes one P per command with request and response bytes, then one E', async () => {
    const collect = await startCollect({ 'per-port': [{ port: redis.port, peer: true }] });
    let clientPort: number;
    try {
      clientPort = await runSession();
      await collect.waitForLines('the E record of the redis-cli connection', () =>
        collect.records().some((r) => r.type === 'E' && isConnectionOf(clientPort)(r)),
      );
    } finally {
      await collect.stop();
    }
    const records = collect.records().filter(isConnectionOf(clientPort));
    // A peer rule matches the remote port only: the server's side of the connection is not tracked.
    expect(records.every((r) => r.local.port === clientPort && r.peer.port === redis.port)).toBe(
      true,
    );
    expect(records.map((r) => r.type)).toEqual([
      ...Array<string>(TASKS_PER_SESSION).fill('P'),
      'E',
    ]);
    const tasks = records.slice(0, -1) as PRecord[];
    expect(tasks.map((r) => r.taskNum)).toEqual(tasks.map((_, i) => i + 1));
    expect((records.at(-1) as ERecord).taskNum).toBe(TASKS_PER_SESSION);

    const commandTasks = tasks.slice(SESSION_PREAMBLE.length);
    expect(commandTasks.map((r) => r.bytesSent)).toEqual(
      COMMANDS.map((c) => respCommandBytes(c.args)),
    );
    expect(commandTasks.map((r) => r.bytesReceived)).toEqual(
      COMMANDS.map((c) => Buffer.byteLength(c.reply)),
    );
    for (const r of tasks) {
      expect(r.serviceUs).toBeLessThan(SANE_SERVER_TIME_US);
      expect(r.totalUs).toBeGreaterThanOrEqual(r.serviceUs + r.receiveUs);
    }
  });
});
