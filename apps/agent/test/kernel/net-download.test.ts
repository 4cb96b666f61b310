import { expect, it } from 'vitest';
import { describeKernel } from '@tcprt/testkit/describeKernel';
import { taskPhases, type ERecord, type PRecord, type RRecord, type WRecord } from '@tcprt/schema';
import { downloadOverShapedLink } from '@tcprt/testkit/shapedDownload';
import { shapedTransferUs } from '@tcprt/testkit/shapedLink';

const RATE_BYTES_PER_SEC = 2_000_000;
const TOLERANCE = 0.15;
// Linux's longest delayed ACK (TCP_DELACK_MAX): a receiver whose window cannot open yet may hold
// that long's worth of data unacknowledged.
const DELAYED_ACK_MAX_SEC = 0.2;

const describeDeviation = (what: string, measured: number, expected: number, unit: string) =>
  `${what}: measured ${measured} ${unit}, expected ${Math.round(expected)} ${unit} ` +
  `(${((measured / expected - 1) * 100).toFixed(1)}%)`;

describeKernel('download over a TBF-shaped veth link between two network namespaces', () => {
  it('gives the server download_time ≈ size/rate and the client receive time ≈ size/rate, with exact bytes', async () => {
    const bodyBytes = 4 * 1024 * 1024;
    const { link, curl, server, client, serverRecords, clientRecords } =
      await downloadOverShapedLink({
        bodyBytes,
        rateBytesPerSec: RATE_BYTES_PER_SEC,
      });
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

    const { downloadUs } = taskPhases(task);
    const expectedUs = shapedTransferUs(responseBytes, RATE_BYTES_PER_SEC, task.mss, link.mtu);
    console.log(
      `${responseBytes} B at ${RATE_BYTES_PER_SEC} B/s (mss ${task.mss}; naive size/rate ` +
        `${Math.round((responseBytes / RATE_BYTES_PER_SEC) * 1e6)} µs)\n` +
        `  ${describeDeviation('server download_time', downloadUs, expectedUs, 'µs')}, process ${task.processUs} µs, upload ${task.uploadUs} µs\n` +
        `  ${describeDeviation('client receive time', clientTask.receiveUs, expectedUs, 'µs')}, service ${clientTask.serviceUs} µs`,
    );
    expect(Math.abs(downloadUs - expectedUs)).toBeLessThanOrEqual(expectedUs * TOLERANCE);
    expect(Math.abs(clientTask.receiveUs - expectedUs)).toBeLessThanOrEqual(expectedUs * TOLERANCE);
  });

  it('writes W on the server when the client gives up mid-download, its acked bytes what the client received', async () => {
    const curlMaxSeconds = 1;
    const { link, curl, serverRecords, clientRecords } = await downloadOverShapedLink({
      bodyBytes: 8 * 1024 * 1024,
      rateBytesPerSec: RATE_BYTES_PER_SEC,
      curlMaxSeconds,
    });
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
    // acknowledged plus what a delayed ACK had not confirmed yet when curl gave up; curl itself
    // read at most what its socket received.
    expect(clientTask.bytesReceived).toBeGreaterThanOrEqual(ackedBytes);
    expect(clientTask.bytesReceived - ackedBytes).toBeLessThanOrEqual(
      RATE_BYTES_PER_SEC * DELAYED_ACK_MAX_SEC,
    );
    expect(received).toBeLessThanOrEqual(clientTask.bytesReceived);

    // The link carried the acknowledged bytes at its rate for as long as curl waited.
    const elapsedUs = unfinished.elapsedUs;
    const expectedAcked =
      (elapsedUs / shapedTransferUs(1e6, RATE_BYTES_PER_SEC, unfinished.mss, link.mtu)) * 1e6;
    console.log(
      `gave up after ${curlMaxSeconds} s: W elapsed ${elapsedUs} µs, sent ${unfinished.bytesSent} B, unacked ${unfinished.bytesUnacked} B; ` +
        `client P received ${clientTask.bytesReceived} B; ` +
        `${describeDeviation('acked bytes', ackedBytes, expectedAcked, 'B')}; curl read ${received} B`,
    );
    expect(Math.abs(elapsedUs - curlMaxSeconds * 1e6)).toBeLessThanOrEqual(
      curlMaxSeconds * 1e6 * TOLERANCE,
    );
    expect(Math.abs(ackedBytes - expectedAcked)).toBeLessThanOrEqual(expectedAcked * TOLERANCE);
  });
});
