import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeKernel } from '@tcprt/testkit/describeKernel';
import type { ERecord, RRecord, TcprtRecord } from '@tcprt/schema';
import { runCommand } from '@tcprt/testkit/command';
import { startCollect } from '@tcprt/testkit/collect';
import { groupByConnection } from '@tcprt/testkit/connections';
import { freePort } from '@tcprt/testkit/freePort';
import { startNginx, type NginxServer } from '@tcprt/testkit/nginx';

// Sizes that give a one-segment response, a response of a few segments and one of many.
const FILES = {
  'small.txt': 'x'.repeat(100),
  'medium.bin': Buffer.alloc(10 * 1024, 1),
  'large.bin': Buffer.alloc(1024 * 1024, 2),
};
const SANE_SERVER_TIME_US = 100_000;

let nginx: NginxServer;

beforeAll(async () => {
  nginx = await startNginx({ port: await freePort(), files: FILES });
});
afterAll(async () => {
  await nginx?.stop();
});

interface CurlTransfer {
  headerBytes: number;
  bodyBytes: number;
  requestBytes: number;
  localPort: number;
  newConnections: number;
}

/** Fetches `paths` with one curl process (one keep-alive connection) and returns curl's own byte counts. */
async function curlKeepAlive(paths: string[]): Promise<CurlTransfer[]> {
  const args = paths.flatMap((p) => ['-o', '/dev/null', `${nginx.baseUrl}${p}`]);
  const format = '%{size_header} %{size_download} %{size_request} %{local_port} %{num_connects}\\n';
  const { stdout } = await runCommand(['curl', '-sS', '--fail', '-w', format, ...args]);
  return stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [headerBytes, bodyBytes, requestBytes, localPort, newConnections] = line
        .split(' ')
        .map(Number);
      return { headerBytes, bodyBytes, requestBytes, localPort, newConnections } as CurlTransfer;
    });
}

describeKernel('nginx with curl', () => {
  it('writes one R per request on a keep-alive connection with the exact bytes nginx sent', async () => {
    const paths = ['small.txt', 'medium.bin', 'large.bin', 'small.txt'];
    const collect = await startCollect({ 'per-port': [{ port: nginx.port }] });
    let transfers: CurlTransfer[];
    try {
      transfers = await curlKeepAlive(paths);
      await collect.waitForLines('the E record of the curl connection', () =>
        collect.records().some((r) => r.type === 'E' && r.local.port === nginx.port),
      );
    } finally {
      await collect.stop();
    }
    // Ground truth check: curl opened exactly one connection and reused it.
    expect(transfers.map((t) => t.newConnections)).toEqual([
      1,
      ...Array<number>(paths.length - 1).fill(0),
    ]);
    const clientPort = transfers[0]!.localPort;
    expect(transfers.every((t) => t.localPort === clientPort)).toBe(true);

    const records = collect.records().filter((r) => r.local.port === nginx.port);
    expect(records.every((r) => r.peer.port === clientPort)).toBe(true);
    expect(records.map((r) => r.type)).toEqual([...Array<string>(paths.length).fill('R'), 'E']);
    const tasks = records.slice(0, -1) as RRecord[];
    expect(tasks.map((r) => r.taskNum)).toEqual(paths.map((_, i) => i + 1));
    expect((records.at(-1) as ERecord).taskNum).toBe(paths.length);
    expect(tasks.map((r) => r.bytesSent)).toEqual(
      transfers.map((t) => t.headerBytes + t.bodyBytes),
    );
    expect(tasks.map((r) => r.bytesReceived)).toEqual(transfers.map((t) => t.requestBytes));
    for (const r of tasks) {
      expect(r.processUs).toBeLessThan(SANE_SERVER_TIME_US);
      expect(r.uploadUs).toBeLessThan(SANE_SERVER_TIME_US);
      expect(r.totalUs).toBeGreaterThanOrEqual(r.processUs + r.uploadUs);
      expect(r.retrans).toBe(0);
    }
  });
});

describeKernel('nginx with wrk', () => {
  it('writes about as many R records as wrk counted requests, and one E per connection', async () => {
    const connections = 4;
    const collect = await startCollect({ 'per-port': [{ port: nginx.port }] });
    let wrkOutput: string;
    try {
      ({ stdout: wrkOutput } = await runCommand(
        [
          'wrk',
          '-t',
          '1',
          '-c',
          String(connections),
          '-d',
          '2s',
          '--timeout',
          '2s',
          `${nginx.baseUrl}small.txt`,
        ],
        { timeoutMs: 30_000 },
      ));
      await collect.waitForLines(
        `${connections} E records`,
        () =>
          collect.records().filter((r) => r.type === 'E' && r.local.port === nginx.port).length >=
          connections,
      );
    } finally {
      await collect.stop();
    }
    const requests = Number(/(\d+) requests in/.exec(wrkOutput)?.[1]);
    expect(requests, wrkOutput).toBeGreaterThan(1000);

    const byConnection = groupByConnection(
      collect.records().filter((r) => r.local.port === nginx.port),
    );
    expect(byConnection.size).toBe(connections);
    let finished = 0;
    for (const records of byConnection.values()) {
      const close = records.at(-1);
      expect(close?.type).toBe('E');
      const tasks = records.filter((r): r is RRecord => r.type === 'R');
      expect(tasks.map((r) => r.taskNum)).toEqual(tasks.map((_, i) => i + 1));
      finished += tasks.length;
    }
    console.log(`wrk: ${requests} requests over ${connections} connections, ${finished} R records`);
    // wrk counts responses it read completely; a request still in flight when it stops closes
    // its connection as one more task per connection at most.
    expect(finished).toBeGreaterThanOrEqual(requests);
    expect(finished).toBeLessThanOrEqual(requests + connections);
  });
});

describeKernel('nginx over IPv6', () => {
  // One curl request to `urlHost` on a fresh nginx listening on `host`; returns the server-side records.
  async function recordsOfOneRequest(
    host: string,
    urlHost: string,
  ): Promise<readonly TcprtRecord[]> {
    const port = await freePort();
    const server = await startNginx({ host, port, files: FILES });
    try {
      const collect = await startCollect({ 'per-port': [{ port }] });
      try {
        await runCommand([
          'curl',
          '-sS',
          '--fail',
          '-g',
          '-o',
          '/dev/null',
          `http://${urlHost}:${port}/small.txt`,
        ]);
        await collect.waitForLines('the E record', () =>
          collect.records().some((r) => r.type === 'E' && r.local.port === port),
        );
      } finally {
        await collect.stop();
      }
      return collect.records().filter((r) => r.local.port === port);
    } finally {
      await server.stop();
    }
  }

  it('prints IPv6 endpoints of a connection over ::1', async () => {
    const records = await recordsOfOneRequest('::1', '[::1]');
    expect(records.map((r) => r.type)).toEqual(['R', 'E']);
    expect(records.every((r) => r.local.ip === '::1' && r.peer.ip === '::1')).toBe(true);
  });

  it('prints an IPv4 client of a dual-stack listener as plain IPv4, not IPv4-mapped IPv6', async () => {
    const records = await recordsOfOneRequest('::', '127.0.0.1');
    expect(records.map((r) => r.type)).toEqual(['R', 'E']);
    expect(records.every((r) => r.local.ip === '127.0.0.1' && r.peer.ip === '127.0.0.1')).toBe(
      true,
    );
  });
});
