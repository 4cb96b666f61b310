import type { StatsBucket } from '@tcprt/schema';

/**
 * One port's figures over a whole range, merged from its per-bucket stats.
 * Averages are weighted by task count, so they equal the range average. Percentiles cannot be
 * merged from buckets: `worstP99Us` is the highest bucket p99 and `typicalP50Us` the
 * count-weighted mean of bucket medians — the UI labels them as such.
 */
export interface RangeSummary {
  count: number;
  avgTotalUs: number;
  avgUploadUs: number;
  avgProcessUs: number;
  avgDownloadUs: number;
  typicalP50Us: number;
  worstP99Us: number;
  retransPermille: number;
  failPermille: number;
  avgMinRttUs: number | null;
  /** Start of the last bucket with tasks, or null when the range had none. */
  lastActiveMs: number | null;
}

export function summarizeBuckets(buckets: readonly StatsBucket[]): RangeSummary {
  let count = 0;
  const sums = {
    total: 0,
    upload: 0,
    process: 0,
    download: 0,
    p50: 0,
    retrans: 0,
    fail: 0,
    rtt: 0,
  };
  let worstP99Us = 0;
  let lastActiveMs: number | null = null;
  for (const b of buckets) {
    if (b.count === 0) continue;
    count += b.count;
    sums.total += b.total.avgUs * b.count;
    sums.upload += b.upload.avgUs * b.count;
    sums.process += b.process.avgUs * b.count;
    sums.download += b.download.avgUs * b.count;
    sums.p50 += b.total.p50Us * b.count;
    sums.retrans += b.retransPermille * b.count;
    sums.fail += b.failPermille * b.count;
    sums.rtt += b.avgMinRttUs * b.count;
    worstP99Us = Math.max(worstP99Us, b.total.p99Us);
    lastActiveMs = Math.max(lastActiveMs ?? 0, b.startMs);
  }
  const avg = (sum: number) => (count ? sum / count : 0);
  return {
    count,
    avgTotalUs: avg(sums.total),
    avgUploadUs: avg(sums.upload),
    avgProcessUs: avg(sums.process),
    avgDownloadUs: avg(sums.download),
    typicalP50Us: avg(sums.p50),
    worstP99Us,
    retransPermille: avg(sums.retrans),
    failPermille: avg(sums.fail),
    avgMinRttUs: count ? avg(sums.rtt) : null,
    lastActiveMs,
  };
}
