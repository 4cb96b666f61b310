import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeKernel } from '@tcprt/testkit/describeKernel';
import {
  HTTP_PATH_MAX_BYTES,
  type HttpExchange,
  type RRecord,
  type TcprtRecord,
  type WRecord,
} from '@tcprt/schema';
import { runCommand } from '@tcprt/testkit/command';
import { freePort } from '@tcprt/testkit/freePort';
import { startNginx, type NginxServer } from '@tcprt/testkit/nginx';
import { runCollectorOn, type CollectorRun } from './core-collector-run';
import {
  expectContinueCurlArgs,
  startContinueServer,
  type ContinueServer,
} from './modes-continue-server';

/*
 * Each http-mode task's request line and status line (KernelRecord.http, bpf/http.h) on the real
 * kernel, against real nginx (and node's server for Expect: 100-continue), with both builds of the
 * kernel programs watching the same traffic at once: per-CPU batches and straight into the ring
 * (TCPRT_FORCE_NO_ATOMICS=1). The truth is what the client sent and the status line it got back.
 */

const LONG_SEGMENT = 'a'.repeat(150);
// More than the loopback's socket buffers hold while the client does not read: the client's
// reset leaves the response unfinished (W).
const UNFINISHED_BYTES = 32 * 1024 * 1024;

let nginx: NginxServer;
let continueServer: ContinueServer;
let runs: CollectorRun[] = [];

beforeAll(async () => {
  nginx = await startNginx({
    port: await freePort(),
    files: { fast: 'fast\n', 'slow/123': 'slow\n', 'large.bin': Buffer.alloc(UNFINISHED_BYTES, 1) },
    serverDirectives:
      '    location = /submit { return 201 "created\\n"; }\n    location = /m { return 200 "m\\n"; }\n',
  });
  continueServer = await startContinueServer(await freePort());
  const rules = {
    'per-port': [
      { port: nginx.port, mode: 'http' as const },
      { port: continueServer.port, mode: 'http' as const },
    ],
  };
  runs = [await runCollectorOn('batched', rules), await runCollectorOn('direct', rules)];
  for (const run of runs) await run.waitFor('a health frame', () => run.healths.length > 0);
}, 60_000);

afterAll(async () => {
  for (const run of runs) await run.collector.stop();
  await Promise.all([nginx?.stop(), continueServer?.stop()]);
});

/** Every collector's R and W records of one connection, once its E is in (in task order). */
async function tasksOf(serverPort: number, clientPort: number): Promise<(RRecord | WRecord)[][]> {
  const ofConnection = (run: CollectorRun) =>
    run.records.filter((r) => r.local.port === serverPort && r.peer.port === clientPort);
  const result: (RRecord | WRecord)[][] = [];
  for (const run of runs) {
    await run.waitFor(`the E record of ${clientPort} → ${serverPort}`, () =>
      ofConnection(run).some((r) => r.type === 'E'),
    );
    expect(run.healths.at(-1)?.lostRingbufFull ?? 0).toBe(0);
    result.push(
      ofConnection(run).filter((r): r is RRecord | WRecord => r.type === 'R' || r.type === 'W'),
    );
  }
  return result;
}

/** The exchanges each collector recorded for one connection, task by task. */
async function exchangesOf(serverPort: number, clientPort: number): Promise<HttpExchange[][]> {
  return (await tasksOf(serverPort, clientPort)).map((tasks) => tasks.map((t) => t.http!));
}

/** Sends `request` on a new connection, reads until the server closes it. */
async function rawExchange(
  port: number,
  request: Buffer,
): Promise<{ clientPort: number; status: number | null }> {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const clientPort = socket.localPort!;
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => {}); // a reset after the response: 'close' follows, the status is in
  socket.end(request);
  await once(socket, 'close');
  const statusLine = /^HTTP\/1\.[01] (\d{3})/.exec(Buffer.concat(chunks).toString('latin1'));
  return { clientPort, status: statusLine ? Number(statusLine[1]) : null };
}

/** One curl process (one keep-alive connection): its local port and each transfer's status. */
async function curlKeepAlive(
  paths: string[],
  extraArgs: string[] = [],
): Promise<{ clientPort: number; statuses: number[] }> {
  const args = paths.flatMap((p) => ['-o', '/dev/null', `${nginx.baseUrl.slice(0, -1)}${p}`]);
  const { stdout } = await runCommand([
    'curl',
    '-sS',
    '-w',
    '%{http_code} %{local_port} %{num_connects}\\n',
    ...extraArgs,
    ...args,
  ]);
  const lines = stdout
    .trim()
    .split('\n')
    .map((line) => line.split(' ').map(Number));
  // Ground truth: one connection, reused for every request.
  expect(lines.map(([, , connects]) => connects)).toEqual(paths.map((_, i) => (i === 0 ? 1 : 0)));
  return { clientPort: lines[0]![1]!, statuses: lines.map(([status]) => status!) };
}

const get = (path: string, status: number | null, pathTruncated = false): HttpExchange => ({
  method: 'GET',
  path,
  pathTruncated,
  status,
});

describeKernel('the HTTP exchange of each task, http mode, batched and direct ring paths', () => {
  it('a keep-alive connection: each request its own path (query dropped) and status', async () => {
    const paths = ['/fast', '/slow/123?q=1', '/missing', '/fast', '/slow/123?q=2#frag'];
    const { clientPort, statuses } = await curlKeepAlive(paths);
    expect(statuses).toEqual([200, 200, 404, 200, 200]);
    for (const exchanges of await exchangesOf(nginx.port, clientPort)) {
      expect(exchanges).toEqual([
        get('/fast', 200),
        get('/slow/123', 200),
        get('/missing', 404),
        get('/fast', 200),
        get('/slow/123', 200),
      ]);
    }
  });

  it('a POST with a body, then a GET on the same connection', async () => {
    const body = randomBytes(3000).toString('base64');
    const { stdout } = await runCommand([
      'curl',
      '-sS',
      '-w',
      '%{http_code} %{local_port} %{size_upload}\\n',
      '-H',
      'Expect:',
      '--data-binary',
      body,
      '-o',
      '/dev/null',
      `${nginx.baseUrl}submit?token=secret`,
      '--next',
      '-w',
      '%{http_code} %{local_port} %{size_upload}\\n',
      '-o',
      '/dev/null',
      `${nginx.baseUrl}fast`,
    ]);
    const lines = stdout.trim().split('\n');
    const [status, clientPort, uploaded] = lines[0]!.split(' ').map(Number);
    expect([status, uploaded]).toEqual([201, body.length]);
    expect(lines[1]).toBe(`200 ${clientPort} 0`);
    for (const tasks of await tasksOf(nginx.port, clientPort!)) {
      expect(tasks.map((t) => t.http)).toEqual([
        { method: 'POST', path: '/submit', pathTruncated: false, status: 201 },
        get('/fast', 200),
      ]);
      // The body was the first task's request, not a task of its own.
      expect((tasks[0] as RRecord).bytesReceived).toBeGreaterThan(body.length);
    }
  });

  it('every method nginx answers, each on its own connection', async () => {
    for (const method of ['HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT']) {
      const { clientPort, status } = await rawExchange(
        nginx.port,
        Buffer.from(`${method} /m HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
      );
      expect(status, method).not.toBeNull();
      for (const exchanges of await exchangesOf(nginx.port, clientPort)) {
        expect(exchanges, method).toEqual([{ method, path: '/m', pathTruncated: false, status }]);
      }
    }
  });

  it(`paths up to ${HTTP_PATH_MAX_BYTES} bytes whole, longer ones cut and flagged`, async () => {
    const bound = `/${'b'.repeat(HTTP_PATH_MAX_BYTES - 1)}`;
    const long = `/long/${LONG_SEGMENT}`;
    // The kernel scans eight bytes at a time: ends on and around a word's edge.
    const paths = ['/1234567?x', '/12345678?x', bound, `${bound}?after=bound`, `${bound}c`, long];
    const { clientPort, statuses } = await curlKeepAlive(paths);
    expect(statuses).toEqual(paths.map(() => 404));
    for (const exchanges of await exchangesOf(nginx.port, clientPort)) {
      expect(exchanges).toEqual([
        get('/1234567', 404),
        get('/12345678', 404),
        get(bound, 404),
        get(bound, 404),
        get(bound, 404, true),
        get(long.slice(0, HTTP_PATH_MAX_BYTES), 404, true),
      ]);
    }
  });

  it('binary garbage for a request line: OTHER with no path; a target with a byte not printable: no path', async () => {
    // Not one of the methods by construction: the first byte is no capital letter.
    const garbage = Buffer.concat([
      Buffer.from([0x01]),
      randomBytes(2000),
      Buffer.from('\r\n\r\n'),
    ]);
    const line = (target: string) =>
      Buffer.from(`GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`, 'latin1');
    const cases: [string, Buffer, HttpExchange['method'], string][] = [
      ['garbage', garbage, 'OTHER', ''],
      ['lowercase method', Buffer.from('get /fast HTTP/1.1\r\nHost: x\r\n\r\n'), 'OTHER', ''],
      ['control byte', line('/fa\x01st'), 'GET', ''],
      ['high byte', line('/f\xe4st'), 'GET', ''],
      ['DEL in a later word', line(`/${'x'.repeat(58)}\x7fy`), 'GET', ''],
      ['fragment at a word edge', line('/abcdefghijklmno#frag'), 'GET', '/abcdefghijklmno'],
    ];
    for (const [name, request, method, path] of cases) {
      const { clientPort, status } = await rawExchange(nginx.port, request);
      expect(status, name).not.toBeNull();
      for (const exchanges of await exchangesOf(nginx.port, clientPort)) {
        expect(exchanges, name).toEqual([{ method, path, pathTruncated: false, status }]);
      }
    }
    // The collectors go on: the next connection is read as before.
    const { clientPort } = await curlKeepAlive(['/fast']);
    for (const exchanges of await exchangesOf(nginx.port, clientPort))
      expect(exchanges).toEqual([get('/fast', 200)]);
  });

  it('Expect: 100-continue: the interim task and the body task both carry the request line', async () => {
    const body = 'b'.repeat(5000);
    const { stdout } = await runCommand([
      'curl',
      '-sS',
      '--fail',
      ...expectContinueCurlArgs(
        body,
        `http://127.0.0.1:${continueServer.port}/upload?id=7`,
        '%{local_port}',
      ),
    ]);
    for (const tasks of await tasksOf(continueServer.port, Number(stdout))) {
      expect(tasks.map((t) => [t.type === 'R' ? t.extensions : undefined, t.http])).toEqual([
        ['C', { method: 'POST', path: '/upload', pathTruncated: false, status: 100 }],
        ['', { method: 'POST', path: '/upload', pathTruncated: false, status: 200 }],
      ]);
    }
  });

  it('a response the client cuts short (W) carries its request line and status', async () => {
    const socket = net.connect(nginx.port, '127.0.0.1');
    await once(socket, 'connect');
    const clientPort = socket.localPort!;
    socket.write('GET /large.bin?part=1 HTTP/1.1\r\nHost: x\r\n\r\n');
    const [first] = (await once(socket, 'data')) as [Buffer];
    socket.pause();
    expect(first.toString('latin1')).toMatch(/^HTTP\/1\.1 200 /);
    await sleep(200);
    socket.resetAndDestroy();
    for (const tasks of await tasksOf(nginx.port, clientPort)) {
      expect(tasks.map((t) => [t.type, t.http])).toEqual([['W', get('/large.bin', 200)]]);
    }
  });

  it('no record but R and W carries an exchange, and both collectors ran throughout', () => {
    for (const run of runs) {
      expect(run.exits).toEqual([]);
      const carriers = new Set(
        run.records.filter((r: TcprtRecord) => 'http' in r).map((r) => r.type),
      );
      expect([...carriers].sort()).toEqual(['R', 'W']);
    }
  });
});
