import { expect, it } from 'vitest';
import { describeKernel } from '@tcprt/testkit/describeKernel';
import type { ERecord, RRecord } from '@tcprt/schema';
import { downloadOverShapedLink } from '@tcprt/testkit/shapedDownload';

describeKernel('retransmits on a lossy shaped link', () => {
  it('counts in R and E exactly the segments the server namespace retransmitted', async () => {
    // A 5 ms queue at 2 MB/s holds about a dozen frames: TCP overruns it, TBF drops, TCP resends.
    const { curl, serverRecords, serverRetransmittedSegments } = await downloadOverShapedLink({
      bodyBytes: 4 * 1024 * 1024,
      rateBytesPerSec: 2_000_000,
      queueLatencyMs: 5,
    });
    console.log(`server namespace retransmitted ${serverRetransmittedSegments} segments`);
    expect(serverRetransmittedSegments).toBeGreaterThan(0);

    expect(serverRecords.map((r) => r.type)).toEqual(['R', 'E']);
    const [task, close] = serverRecords as [RRecord, ERecord];
    expect(task.retrans).toBe(serverRetransmittedSegments);
    expect(close.retrans).toBe(serverRetransmittedSegments);
    // Resent bytes are not new bytes: the response still counts once.
    expect(task.bytesSent).toBe(curl.headerBytes + curl.bodyBytes);
  });
});
