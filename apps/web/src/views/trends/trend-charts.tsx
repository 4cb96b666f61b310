'use client';

import type { CloseReasons, StatsBucket } from '@tcprt/schema';
import { TimeSeriesChart } from '@/components/charts/time-series-chart';
import { formatCount, formatCountTick, formatPermille, formatUs, formatUsTick } from '@/lib/format';
import { formatBucketWidth, type ResolvedRange } from '@/lib/time-range';

interface Props {
  buckets: StatsBucket[];
  /** The port's close reasons in the same buckets (server-side ports only). */
  closes: CloseReasons['buckets'] | undefined;
  range: ResolvedRange;
  bucketSec: number;
  logScale: boolean;
  /** Drag on a chart: narrow the page's range. */
  onZoom: (fromMs: number, toMs: number) => void;
  /** Click on a bucket: its tasks. */
  onBucketClick: (startMs: number) => void;
}

/** A bucket without tasks has no times: it is drawn as a gap, not as zero. */
const when = (b: StatsBucket, v: number) => (b.count > 0 ? v : null);

export function TrendCharts({
  buckets,
  closes,
  range,
  bucketSec,
  logScale,
  onZoom,
  onBucketClick,
}: Props) {
  // One time axis and one hover for every chart of the page; drag zooms, click opens the bucket's tasks.
  const common = {
    fromMs: range.fromMs,
    toMs: range.toMs,
    bucketMs: bucketSec * 1000,
    syncId: 'trends',
    onZoom,
    onBucketClick,
  };
  const points = buckets.map((b) => ({
    tMs: b.startMs,
    p50: when(b, b.total.p50Us),
    p90: when(b, b.total.p90Us),
    p99: when(b, b.total.p99Us),
    upload: when(b, b.upload.avgUs),
    process: when(b, b.process.avgUs),
    download: when(b, b.download.avgUs),
    count: b.count,
    retrans: when(b, b.retransPermille),
    fail: when(b, b.failPermille),
    rtt: when(b, b.avgMinRttUs),
    receiver: b.downloadLimits && 100 * b.downloadLimits.receiverShare,
    network: b.downloadLimits && 100 * b.downloadLimits.networkShare,
    application: b.downloadLimits && 100 * b.downloadLimits.applicationShare,
  }));
  const closesAt = new Map(closes?.map((c) => [c.startMs, c]));
  const closePoints = buckets.map((b) => ({
    tMs: b.startMs,
    w: closesAt.get(b.startMs)?.whileSending ?? 0,
    n: closesAt.get(b.startMs)?.whileReceiving ?? 0,
  }));
  return (
    <div className="grid-2">
      <section
        className="panel"
        aria-label="Total time percentiles"
        style={{ gridColumn: '1 / -1' }}
      >
        <h2>Total time percentiles</h2>
        <TimeSeriesChart
          {...common}
          ariaLabel="Total time p50, p90, p99"
          logScale={logScale}
          points={points}
          series={[
            { key: 'p50', label: 'p50', color: 'var(--p50)', kind: 'line' },
            { key: 'p90', label: 'p90', color: 'var(--p90)', kind: 'line' },
            { key: 'p99', label: 'p99', color: 'var(--p99)', kind: 'line' },
          ]}
          formatValue={formatUs}
          formatTick={formatUsTick}
        />
      </section>
      <section className="panel" aria-label="Average time by phase">
        <h2>Where the average task's time goes</h2>
        <TimeSeriesChart
          {...common}
          ariaLabel="Average upload, process and download time, stacked"
          points={points}
          series={[
            {
              key: 'upload',
              label: 'upload',
              color: 'var(--phase-upload)',
              kind: 'bar',
              stack: 'phase',
            },
            {
              key: 'process',
              label: 'process',
              color: 'var(--phase-process)',
              kind: 'bar',
              stack: 'phase',
            },
            {
              key: 'download',
              label: 'download',
              color: 'var(--phase-download)',
              kind: 'bar',
              stack: 'phase',
            },
          ]}
          formatValue={formatUs}
          formatTick={formatUsTick}
        />
      </section>
      <section className="panel" aria-label="Task count">
        <h2>Tasks per {formatBucketWidth(bucketSec)}</h2>
        <TimeSeriesChart
          {...common}
          ariaLabel="Task count per bucket"
          points={points}
          series={[{ key: 'count', label: 'tasks', color: '#5b6b84', kind: 'bar' }]}
          formatValue={formatCount}
          formatTick={formatCountTick}
          integer
        />
      </section>
      <section className="panel" aria-label="Retransmit and fail permille">
        <h2>Retransmits and failures</h2>
        <TimeSeriesChart
          {...common}
          ariaLabel="Retransmit and fail permille"
          points={points}
          series={[
            { key: 'retrans', label: 'retransmit ‰', color: '#8a63d2', kind: 'line' },
            { key: 'fail', label: 'fail ‰ (W)', color: 'var(--bad)', kind: 'line' },
          ]}
          formatValue={formatPermille}
        />
      </section>
      {closes && (
        <section className="panel" aria-label="Abnormal closes">
          <h2>Connections closed while sending (W) or receiving (N)</h2>
          <TimeSeriesChart
            {...common}
            ariaLabel="Closes while sending (W) and while receiving (N) per bucket"
            points={closePoints}
            series={[
              { key: 'w', label: 'W closes', color: 'var(--bad)', kind: 'bar', stack: 'c' },
              { key: 'n', label: 'N closes', color: 'var(--warn)', kind: 'bar', stack: 'c' },
            ]}
            formatValue={formatCount}
            formatTick={formatCountTick}
            integer
          />
        </section>
      )}
      <section className="panel" aria-label="What held downloads back">
        <h2>What held downloads back (share of download time)</h2>
        <TimeSeriesChart
          {...common}
          ariaLabel="Download time share by client window, network and server writes, stacked"
          points={points}
          series={[
            { key: 'receiver', label: 'client window', color: '#d99a2b', kind: 'bar', stack: 'd' },
            { key: 'network', label: 'network', color: '#0e7490', kind: 'bar', stack: 'd' },
            {
              key: 'application',
              label: 'server writes',
              color: 'var(--phase-process)',
              kind: 'bar',
              stack: 'd',
            },
          ]}
          formatValue={(v) => `${Math.round(v)} %`}
        />
      </section>
      <section className="panel" aria-label="Round-trip time">
        <h2>Min RTT (average of tasks)</h2>
        <TimeSeriesChart
          {...common}
          ariaLabel="Average min RTT"
          logScale={logScale}
          points={points}
          series={[{ key: 'rtt', label: 'min RTT', color: '#0e7490', kind: 'line' }]}
          formatValue={formatUs}
          formatTick={formatUsTick}
        />
      </section>
    </div>
  );
}
