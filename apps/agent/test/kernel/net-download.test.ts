import { describe, expect, it } from 'vitest';
import type { ERecord, PRecord, RRecord, TcprtRecord } from '@tcprt/schema';
import { runCommand } from '../support/command';
import { startCollect } from '../support/collect';
import { downloadUs } from '../support/connections';
import { freePort } from '../support/freePort';
import { startNginx } from '../support/nginx';
import { shapedTransferUs, withShapedLink } from '../support/shapedLink';

const BODY_BYTES = 4 * 1024 * 1024;
const RATE_BYTES_PER_SEC = 2_000_000;
const TOLERANCE = 0.15;

const describeDeviation = (what: string, measuredUs: number, expectedUs: number) =>
  `${what}: measured ${measuredUs} µs, expected ${Math.round(expectedUs)} µs ` +
  `(${((measuredUs / expectedUs - 1) * 100).toFixed(1)}%)`;

describe('download over a TBF-shaped veth link between two network namespaces', () => {
  it('gives the server download_time ≈ size/rate and the client receive time ≈ size/rate, with exact bytes', async () => {
    const port = await freePort();
    await withShapedLink({ serverToClientBytesPerSec: RATE_BYTES_PER_SEC }, async (link) => {
      const nginx = await startNginx({
        host: link.serverAddress,
        port,
        netns: link.serverNetns,
        files: { 'big.bin': Buffer.alloc(BODY_BYTES, 7) },
      });
      let curlOutput: string;
      let records: readonly TcprtRecord[];
      try {
        // The collector attaches at the root cgroup from the root namespace; server and client
        // run in two other network namespaces, so the records below also show that it sees
        // their sockets. The same port is tracked on both sides: local rule → the server's
        // socket (R), peer rule → the client's socket (P).
        const collect = await startCollect({ 'per-port': [{ port }, { port, peer: true }] });
        try {
          ({ stdout: curlOutput } = await runCommand(
            [
              'curl',
              '-sS',
              '--fail',
              '-o',
              '/dev/null',
              '-w',
              '%{size_header} %{size_download} %{size_request} %{local_port}',
              `${nginx.baseUrl}big.bin`,
            ],
            { netns: link.clientNetns, timeoutMs: 30_000 },
          ));
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
      const [headerBytes, bodyBytes, requestBytes, clientPort] = curlOutput.split(' ').map(Number);
      expect(bodyBytes).toBe(BODY_BYTES);
      const server = { ip: link.serverAddress, port };
      const client = { ip: link.clientAddress, port: clientPort! };

      const serverSide = records.filter((r) => r.local.ip === server.ip);
      expect(serverSide.map((r) => r.type)).toEqual(['R', 'E']);
      const [task, serverClose] = serverSide as [RRecord, ERecord];
      expect(task.local).toEqual(server);
      expect(task.peer).toEqual(client);
      expect(serverClose.taskNum).toBe(1);
      // The connection closes after this one task: the R is written at close, FIN not counted.
      expect(task.bytesSent).toBe(headerBytes! + bodyBytes!);
      expect(task.bytesReceived).toBe(requestBytes);
      expect(task.processUs).toBeLessThan(100_000);

      const clientSide = records.filter((r) => r.local.ip === client.ip);
      expect(clientSide.map((r) => r.type)).toEqual(['P', 'E']);
      const [clientTask, clientClose] = clientSide as [PRecord, ERecord];
      expect(clientTask.local).toEqual(client);
      expect(clientTask.peer).toEqual(server);
      expect(clientClose.taskNum).toBe(1);
      expect(clientTask.bytesSent).toBe(requestBytes);
      expect(clientTask.bytesReceived).toBe(headerBytes! + bodyBytes!);

      const expectedUs = shapedTransferUs(task.bytesSent, RATE_BYTES_PER_SEC, task.mss, link.mtu);
      const serverMeasuredUs = downloadUs(task);
      const clientMeasuredUs = clientTask.receiveUs;
      console.log(
        `${task.bytesSent} B at ${RATE_BYTES_PER_SEC} B/s (mss ${task.mss}; naive size/rate ` +
          `${Math.round((task.bytesSent / RATE_BYTES_PER_SEC) * 1e6)} µs)\n` +
          `  ${describeDeviation('server download_time', serverMeasuredUs, expectedUs)}, process ${task.processUs} µs, upload ${task.uploadUs} µs\n` +
          `  ${describeDeviation('client receive time', clientMeasuredUs, expectedUs)}, service ${clientTask.serviceUs} µs`,
      );
      expect(Math.abs(serverMeasuredUs - expectedUs)).toBeLessThanOrEqual(expectedUs * TOLERANCE);
      expect(Math.abs(clientMeasuredUs - expectedUs)).toBeLessThanOrEqual(expectedUs * TOLERANCE);
    });
  });
});
