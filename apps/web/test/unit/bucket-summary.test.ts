import { expect, test } from 'vitest';
import type { StatsBucket } from '@tcprt/schema';
import { summarizeBuckets } from '../../src/lib/bucket-summary';

const duration = (avgUs: number, p50Us = avgUs, p99Us = avgUs) => ({
  avgUs,
  p50Us,
  p90Us: p99Us,
  p99Us,
});

function bucket(b: {
  startMs: number;
  count: number;
  totalUs: [avg: number, p50: number, p99: number];
  uploadUs: number;
  processUs: number;
  downloadUs: number;
  retransPermille: number;
  failPermille: number;
  avgMinRttUs: number;
}): StatsBucket {
  return {
    startMs: b.startMs,
    count: b.count,
    total: duration(...b.totalUs),
    upload: duration(b.uploadUs),
    process: duration(b.processUs),
    download: duration(b.downloadUs),
    retransPermille: b.retransPermille,
    failPermille: b.failPermille,
    avgMinRttUs: b.avgMinRttUs,
    avgBytesSent: 0,
    avgBytesReceived: 0,
    downloadLimits: null,
  };
}

const quiet = bucket({
  startMs: 60_000,
  count: 1,
  totalUs: [1_000, 900, 5_000],
  uploadUs: 100,
  processUs: 800,
  downloadUs: 100,
  retransPermille: 0,
  failPermille: 0,
  avgMinRttUs: 50,
});
const busy = bucket({
  startMs: 120_000,
  count: 3,
  totalUs: [2_000, 1_800, 3_000],
  uploadUs: 200,
  processUs: 1_600,
  downloadUs: 200,
  retransPermille: 10,
  failPermille: 20,
  avgMinRttUs: 30,
});
// A bucket without tasks carries no figures: whatever it holds must not count.
const empty = bucket({
  startMs: 180_000,
  count: 0,
  totalUs: [77_777, 77_777, 99_999],
  uploadUs: 77_777,
  processUs: 77_777,
  downloadUs: 77_777,
  retransPermille: 999,
  failPermille: 999,
  avgMinRttUs: 77_777,
});

test('averages are weighted by task count, so they equal the average over the range', () => {
  // 1 task at 1000 µs and 3 at 2000 µs: (1000 + 3 × 2000) / 4 = 1750, not (1000 + 2000) / 2.
  expect(summarizeBuckets([busy, quiet, empty])).toEqual({
    count: 4,
    avgTotalUs: 1_750,
    avgUploadUs: 175,
    avgProcessUs: 1_400,
    avgDownloadUs: 175,
    typicalP50Us: 1_575, // (900 + 3 × 1800) / 4
    worstP99Us: 5_000, // the highest bucket p99, even from the quieter bucket
    retransPermille: 7.5, // (0 + 3 × 10) / 4
    failPermille: 15, // (0 + 3 × 20) / 4
    avgMinRttUs: 35, // (50 + 3 × 30) / 4
    lastActiveMs: 120_000, // the latest bucket with tasks, whatever the order; not the empty one
  });
});

test('a range without tasks has zero averages, no RTT and no last activity', () => {
  const none = {
    count: 0,
    avgTotalUs: 0,
    avgUploadUs: 0,
    avgProcessUs: 0,
    avgDownloadUs: 0,
    typicalP50Us: 0,
    worstP99Us: 0,
    retransPermille: 0,
    failPermille: 0,
    avgMinRttUs: null,
    lastActiveMs: null,
  };
  expect(summarizeBuckets([])).toEqual(none);
  expect(summarizeBuckets([empty])).toEqual(none);
});

test('one bucket is its own summary', () => {
  expect(summarizeBuckets([quiet])).toMatchObject({
    count: 1,
    avgTotalUs: 1_000,
    typicalP50Us: 900,
    worstP99Us: 5_000,
    avgMinRttUs: 50,
    lastActiveMs: 60_000,
  });
});
