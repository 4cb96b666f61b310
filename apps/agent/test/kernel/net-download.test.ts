import { describe, expect, it } from 'vitest';
import type { ERecord, RRecord, TcprtRecord } from '@tcprt/schema';
import { runCommand } from '../support/command';
import { startCollect } from '../support/collect';
import { downloadUs } from '../support/connections';
import { freePort } from '../support/freePort';
import { startNginx } from '../support/nginx';
import { withShapedLink } from '../support/shapedLink';

const BODY_BYTES = 4 * 1024 * 1024;
const RATE_BYTES_PER_SEC = 2_000_000;
const TOLERANCE = 0.15;
const ETHERNET_HEADER_BYTES = 14;

/**
 * Time the shaped link needs to carry `payloadBytes` of TCP payload: TBF meters whole frames,
 * so each MSS-sized segment also costs its IP/TCP headers (MTU − MSS) and the Ethernet header.
 */
function expectedTransferUs(payloadBytes: number, mss: number, mtu: number): number {
  const segments = Math.ceil(payloadBytes / mss);
  const wireBytes = payloadBytes + segments * (mtu - mss + ETHERNET_HEADER_BYTES);
  return (wireBytes / RATE_BYTES_PER_SEC) * 1e6;
}

describe('download over a shaped veth link between two network namespaces', () => {
  it('gives download_time ≈ size/rate and the exact response bytes', async () => {
    const port = await freePort();
    await withShapedLink({ rateBytesPerSec: RATE_BYTES_PER_SEC }, async (link) => {
      const nginx = await startNginx({
        host: link.serverAddress,
        port,
        netns: link.serverNetns,
        files: { 'big.bin': Buffer.alloc(BODY_BYTES, 7) },
      });
      let curlOutput: string;
      let records: TcprtRecord[];
      try {
        // The collector attaches at the root cgroup from the root namespace; the server runs in
        // another network namespace, so every record below also shows that it sees that socket.
        const collect = await startCollect({ 'per-port': [{ port }] });
        try {
          ({ stdout: curlOutput } = await runCommand(
            [
              'curl',
              '-sS',
              '--fail',
              '-o',
              '/dev/null',
              '-w',
              '%{size_header} %{size_download} %{local_port}',
              `${nginx.baseUrl}big.bin`,
            ],
            { netns: link.clientNetns, timeoutMs: 30_000 },
          ));
          await collect.waitForLines('the E record of the download', () =>
            collect.records().some((r) => r.type === 'E' && r.local.port === port),
          );
        } finally {
          await collect.stop();
        }
        records = collect.records().filter((r) => r.local.port === port);
      } finally {
        await nginx.stop();
      }
      const [headerBytes, bodyBytes, clientPort] = curlOutput.split(' ').map(Number);
      expect(bodyBytes).toBe(BODY_BYTES);

      expect(records.map((r) => r.type)).toEqual(['R', 'E']);
      const [task, close] = records as [RRecord, ERecord];
      expect(task.local).toEqual({ ip: link.serverAddress, port });
      expect(task.peer).toEqual({ ip: link.clientAddress, port: clientPort });
      expect(close.taskNum).toBe(1);
      // The connection closes after this one task: the R is written at close, FIN not counted.
      expect(task.bytesSent).toBe(headerBytes! + bodyBytes!);

      const measuredUs = downloadUs(task);
      const expectedUs = expectedTransferUs(task.bytesSent, task.mss, link.mtu);
      console.log(
        `download ${task.bytesSent} B at ${RATE_BYTES_PER_SEC} B/s: measured ${measuredUs} µs, expected ${Math.round(expectedUs)} µs ` +
          `(${((measuredUs / expectedUs - 1) * 100).toFixed(1)}%), naive size/rate ${Math.round((task.bytesSent / RATE_BYTES_PER_SEC) * 1e6)} µs, ` +
          `mss ${task.mss}, process ${task.processUs} µs, upload ${task.uploadUs} µs`,
      );
      expect(Math.abs(measuredUs - expectedUs)).toBeLessThanOrEqual(expectedUs * TOLERANCE);
      expect(task.processUs).toBeLessThan(100_000);
    });
  });
});
