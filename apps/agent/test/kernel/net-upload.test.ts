import { expect, it } from 'vitest';
import { describeKernel } from '@tcprt/testkit/describeKernel';
import type { ERecord, RRecord, TcprtRecord } from '@tcprt/schema';
import { runCommand } from '@tcprt/testkit/command';
import { startCollect } from '@tcprt/testkit/collect';
import { freePort } from '@tcprt/testkit/freePort';
import { startRedis } from '@tcprt/testkit/redis';
import { respCommandBytes } from '@tcprt/testkit/resp';
import { shapedTransferUs, withShapedLink } from '@tcprt/testkit/shapedLink';

const VALUE_BYTES = 4 * 1024 * 1024;
const RATE_BYTES_PER_SEC = 2_000_000;
const TOLERANCE = 0.15;

describeKernel('upload over a TBF-shaped veth link between two network namespaces', () => {
  it('gives upload_time ≈ request size/rate and the exact request bytes (redis SET of 4 MiB)', async () => {
    const port = await freePort();
    await withShapedLink({ clientToServerBytesPerSec: RATE_BYTES_PER_SEC }, async (link) => {
      const redis = await startRedis({ host: link.serverAddress, port, netns: link.serverNetns });
      const value = 'v'.repeat(VALUE_BYTES);
      let reply: string;
      let records: readonly TcprtRecord[];
      try {
        const collect = await startCollect({ 'per-port': [{ port }] });
        try {
          // -x: the last argument comes from stdin, so one connection carries exactly one SET.
          ({ stdout: reply } = await runCommand(
            ['redis-cli', '-h', link.serverAddress, '-p', String(port), '-x', 'SET', 'big'],
            { netns: link.clientNetns, input: value, timeoutMs: 30_000 },
          ));
          await collect.waitForLines('the E record of the upload', () =>
            collect.records().some((r) => r.type === 'E' && r.local.port === port),
          );
        } finally {
          await collect.stop();
        }
        records = collect.records().filter((r) => r.local.port === port);
      } finally {
        await redis.stop();
      }
      expect(reply.trim()).toBe('OK');

      expect(records.map((r) => r.type)).toEqual(['R', 'E']);
      const [task, close] = records as [RRecord, ERecord];
      expect(task.local.ip).toBe(link.serverAddress);
      expect(task.peer.ip).toBe(link.clientAddress);
      expect(close.taskNum).toBe(1);
      const requestBytes = respCommandBytes(['SET', 'big', value]);
      expect(task.bytesReceived).toBe(requestBytes);
      expect(task.bytesSent).toBe('+OK\r\n'.length);

      // T0 is the first segment's arrival, so the upload spans every segment but the first.
      const expectedUs = shapedTransferUs(
        requestBytes - task.mss,
        RATE_BYTES_PER_SEC,
        task.mss,
        link.mtu,
      );
      console.log(
        `upload ${requestBytes} B at ${RATE_BYTES_PER_SEC} B/s: measured upload_time ${task.uploadUs} µs, ` +
          `expected ${Math.round(expectedUs)} µs (${((task.uploadUs / expectedUs - 1) * 100).toFixed(1)}%), ` +
          `process ${task.processUs} µs, total ${task.totalUs} µs, mss ${task.mss}`,
      );
      expect(Math.abs(task.uploadUs - expectedUs)).toBeLessThanOrEqual(expectedUs * TOLERANCE);
      expect(task.processUs).toBeLessThan(100_000);
    });
  });
});
