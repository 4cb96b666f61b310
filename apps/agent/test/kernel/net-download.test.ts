import { describe, expect, it } from 'vitest';
import type { ERecord, PRecord, RRecord, TcprtRecord, WRecord } from '@tcprt/schema';
import { runCommand } from '../support/command';
import { startCollect } from '../support/collect';
import { downloadUs } from '../support/connections';
import { freePort } from '../support/freePort';
import { startNginx } from '../support/nginx';
import { shapedTransferUs, withShapedLink, type ShapedLink } from '../support/shapedLink';

const RATE_BYTES_PER_SEC = 2_000_000;
const TOLERANCE = 0.15;
// Segments a receiver may hold without acknowledging them yet (delayed ACK covers two; margin).
const DELAYED_ACK_SEGMENTS = 4;

const describeDeviation = (what: string, measured: number, expected: number, unit: string) =>
  `${what}: measured ${measured} ${unit}, expected ${Math.round(expected)} ${unit} ` +
  `(${((measured / expected - 1) * 100).toFixed(1)}%)`;

interface Download {
  link: ShapedLink;
  /** curl's own counts and its exit code (28 = gave up at --max-time). */
  curl: { headerBytes: number; bodyBytes: number; requestBytes: number; exitCode: number };
  server: { ip: string; port: number };
  client: { ip: string; port: number };
  /** Records of the server's socket (local rule) and of the client's socket (peer rule). */
  serverRecords: readonly TcprtRecord[];
  clientRecords: readonly TcprtRecord[];
}

/**
 * curl in the client namespace fetches a `bodyBytes` file from nginx in the server namespace
 * over a link shaped to RATE_BYTES_PER_SEC, with the server port tracked on both sides.
 */
async function downloadOverShapedLink(
  bodyBytes: number,
  curlMaxSeconds?: number,
): Promise<Download> {
  const port = await freePort();
  return withShapedLink({ serverToClientBytesPerSec: RATE_BYTES_PER_SEC }, async (link) => {
    const nginx = await startNginx({
      host: link.serverAddress,
      port,
      netns: link.serverNetns,
      files: { 'big.bin': Buffer.alloc(bodyBytes, 7) },
    });
    let curl: { stdout: string; exitCode: number };
    let records: readonly TcprtRecord[];
    try {
      // The collector attaches at the root cgroup from the root namespace; server and client
      // run in two other network namespaces, so the records also show that it sees their
      // sockets. Local rule → the server's socket, peer rule → the client's socket.
      const collect = await startCollect({ 'per-port': [{ port }, { port, peer: true }] });
      try {
        curl = await runCommand(
          [
            'curl',
            '-sS',
            '-o',
            '/dev/null',
            ...(curlMaxSeconds === undefined ? ['--fail'] : ['--max-time', String(curlMaxSeconds)]),
            '-w',
            '%{size_header} %{size_download} %{size_request} %{local_port}',
            `${nginx.baseUrl}big.bin`,
          ],
          {
            netns: link.clientNetns,
            timeoutMs: 30_000,
            allowFailure: curlMaxSeconds !== undefined,
          },
        );
        await collect.waitForLines(
          'the E records of both ends',
          () => collect.records().filter((r) => r.type === 'E').length >= 2,
        );
      } finally {
        await collect.stop();
      }
      records = collect.records();
    } finally {
      await nginx.stop();
    }
    const [headerBytes, downloadedBytes, requestBytes, clientPort] = curl.stdout
      .split(' ')
      .map(Number);
    const server = { ip: link.serverAddress, port };
    const client = { ip: link.clientAddress, port: clientPort! };
    return {
      link,
      curl: {
        headerBytes: headerBytes!,
        bodyBytes: downloadedBytes!,
        requestBytes: requestBytes!,
        exitCode: curl.exitCode,
      },
      server,
      client,
      serverRecords: records.filter((r) => r.local.ip === server.ip),
      clientRecords: records.filter((r) => r.local.ip === client.ip),
    };
  });
}

describe('download over a TBF-shaped veth link between two network namespaces', () => {
  it('gives the server download_time ≈ size/rate and the client receive time ≈ size/rate, with exact bytes', async () => {
    const bodyBytes = 4 * 1024 * 1024;
    const { link, curl, server, client, serverRecords, clientRecords } =
      await downloadOverShapedLink(bodyBytes);
    expect(curl.bodyBytes).toBe(bodyBytes);
    const responseBytes = curl.headerBytes + curl.bodyBytes;

    expect(serverRecords.map((r) => r.type)).toEqual(['R', 'E']);
    const [task, serverClose] = serverRecords as [RRecord, ERecord];
    expect(task.local).toEqual(server);
    expect(task.peer).toEqual(client);
    expect(serverClose.taskNum).toBe(1);
    // The connection closes after this one task: the R is written at close, FIN not counted.
    expect(task.bytesSent).toBe(responseBytes);
    expect(task.bytesReceived).toBe(curl.requestBytes);
    expect(task.processUs).toBeLessThan(100_000);

    expect(clientRecords.map((r) => r.type)).toEqual(['P', 'E']);
    const [clientTask, clientClose] = clientRecords as [PRecord, ERecord];
    expect(clientTask.local).toEqual(client);
    expect(clientTask.peer).toEqual(server);
    expect(clientClose.taskNum).toBe(1);
    expect(clientTask.bytesSent).toBe(curl.requestBytes);
    expect(clientTask.bytesReceived).toBe(responseBytes);

    const expectedUs = shapedTransferUs(responseBytes, RATE_BYTES_PER_SEC, task.mss, link.mtu);
    console.log(
      `${responseBytes} B at ${RATE_BYTES_PER_SEC} B/s (mss ${task.mss}; naive size/rate ` +
        `${Math.round((responseBytes / RATE_BYTES_PER_SEC) * 1e6)} µs)\n` +
        `  ${describeDeviation('server download_time', downloadUs(task), expectedUs, 'µs')}, process ${task.processUs} µs, upload ${task.uploadUs} µs\n` +
        `  ${describeDeviation('client receive time', clientTask.receiveUs, expectedUs, 'µs')}, service ${clientTask.serviceUs} µs`,
    );
    expect(Math.abs(downloadUs(task) - expectedUs)).toBeLessThanOrEqual(expectedUs * TOLERANCE);
    expect(Math.abs(clientTask.receiveUs - expectedUs)).toBeLessThanOrEqual(expectedUs * TOLERANCE);
  });

  it('writes W on the server when the client gives up mid-download, its acked bytes what the client received', async () => {
    const curlMaxSeconds = 1;
    const { link, curl, serverRecords, clientRecords } = await downloadOverShapedLink(
      8 * 1024 * 1024,
      curlMaxSeconds,
    );
    expect(curl.exitCode).toBe(28); // curl: operation timed out
    const received = curl.headerBytes + curl.bodyBytes;

    expect(serverRecords.map((r) => r.type)).toEqual(['W', 'E']);
    const [unfinished, serverClose] = serverRecords as [WRecord, ERecord];
    expect(unfinished.taskNum).toBe(1);
    expect(unfinished.bytesUnacked).toBeGreaterThan(0);
    expect(serverClose.bytesUnacked).toBe(unfinished.bytesUnacked);
    const ackedBytes = unfinished.bytesSent - unfinished.bytesUnacked;

    expect(clientRecords.map((r) => r.type)).toEqual(['P', 'E']);
    const clientTask = clientRecords[0] as PRecord;
    // Both ends count the same stream: the client's socket received what the server saw
    // acknowledged, plus what a pending delayed ACK had not yet confirmed when curl gave up
    // (a segment or two); curl itself read at most what its socket received.
    expect(clientTask.bytesReceived).toBeGreaterThanOrEqual(ackedBytes);
    expect(clientTask.bytesReceived - ackedBytes).toBeLessThanOrEqual(
      DELAYED_ACK_SEGMENTS * unfinished.mss,
    );
    expect(received).toBeLessThanOrEqual(clientTask.bytesReceived);

    // The link carried the acknowledged bytes at its rate for as long as curl waited.
    const elapsedUs = unfinished.elapsedUs;
    const expectedAcked =
      (elapsedUs / shapedTransferUs(1e6, RATE_BYTES_PER_SEC, unfinished.mss, link.mtu)) * 1e6;
    console.log(
      `gave up after ${curlMaxSeconds} s: W elapsed ${elapsedUs} µs, sent ${unfinished.bytesSent} B, unacked ${unfinished.bytesUnacked} B; ` +
        `${describeDeviation('acked bytes', ackedBytes, expectedAcked, 'B')}; curl read ${received} B`,
    );
    expect(Math.abs(elapsedUs - curlMaxSeconds * 1e6)).toBeLessThanOrEqual(
      curlMaxSeconds * 1e6 * TOLERANCE,
    );
    expect(Math.abs(ackedBytes - expectedAcked)).toBeLessThanOrEqual(expectedAcked * TOLERANCE);
  });
});
