'use client';

import Link from 'next/link';
import type { UseQueryResult } from '@tanstack/react-query';
import type { PortService, StatsSeries } from '@tcprt/schema';
import { Metric, PhaseSplit } from '@/components/phase-split';
import { TimeSeriesChart } from '@/components/charts/time-series-chart';
import { ErrorState, Loading } from '@/components/states';
import { summarizeBuckets } from '@/lib/bucket-summary';
import { formatCount, formatPermille, formatRate, formatUs, formatUsTick } from '@/lib/format';
import { portLabel, serviceDetail } from '@/lib/port-label';
import type { ResolvedRange } from '@/lib/time-range';

export interface CloseCounts {
  normal: number;
  whileSending: number;
  whileReceiving: number;
}

interface Props {
  port: number;
  peer: boolean;
  /** Who serves the port (stats.ports); null when unknown. */
  service: PortService | null;
  range: ResolvedRange;
  bucketSec: number;
  /** The port's series query, owned by the overview so it can order the cards by their figures. */
  series: UseQueryResult<StatsSeries, { message: string }>;
  closes: CloseCounts | undefined;
  linkQuery: string;
}

export function PortCard({
  port,
  peer,
  service,
  range,
  bucketSec,
  series,
  closes,
  linkQuery,
}: Props) {
  const title = portLabel(port, peer, service);
  const portQuery = `${linkQuery}${linkQuery ? '&' : '?'}port=${port}${peer ? '&peer=1' : ''}`;
  return (
    <section
      className="panel"
      aria-label={`Port ${title}`}
      data-testid={`port-card-${peer ? 'P' : ''}${port}`}
    >
      <div className="panel-head">
        <h2 style={{ margin: 0, fontSize: 16 }}>
          <Link prefetch={false} href={`/trends${portQuery}`} title={serviceDetail(service)}>
            {title}
          </Link>
          <span className="muted small" style={{ fontWeight: 400, marginLeft: 8 }}>
            {peer ? 'client side (peer mode)' : 'server side'}
          </span>
        </h2>
        <span className="small">
          <Link
            href={`/tasks${linkQuery}${linkQuery ? '&' : '?'}${peer ? 'peerPort' : 'localPort'}=${port}`}
          >
            tasks
          </Link>
          {' · '}
          <Link prefetch={false} href={`/trends${portQuery}`}>
            trends
          </Link>
        </span>
      </div>
      {series.isError && !series.data ? (
        <ErrorState error={series.error} retry={() => void series.refetch()} />
      ) : !series.data ? (
        <Loading height={170} />
      ) : (
        <CardBody
          buckets={series.data.buckets}
          range={range}
          bucketSec={bucketSec}
          closes={closes}
        />
      )}
    </section>
  );
}

function CardBody({
  buckets,
  range,
  bucketSec,
  closes,
}: {
  buckets: Parameters<typeof summarizeBuckets>[0];
  range: ResolvedRange;
  bucketSec: number;
  closes: CloseCounts | undefined;
}) {
  const s = summarizeBuckets(buckets);
  const spanSec = (range.toMs - range.fromMs) / 1000;
  const closedTotal = closes ? closes.normal + closes.whileSending + closes.whileReceiving : 0;
  const badCloses = closes ? closes.whileSending + closes.whileReceiving : 0;
  const closeMetrics = (
    <div className="metric-row">
      <Metric
        label="retransmits"
        value={s.count ? formatPermille(s.retransPermille) : '—'}
        tone={s.retransPermille >= 10 ? 'warn' : undefined}
      />
      <Metric
        label="min RTT"
        value={formatUs(s.avgMinRttUs)}
        title="Average of the tasks' minimum RTT"
      />
      <Metric
        label="closed sending (W)"
        value={closes ? formatCount(closes.whileSending) : '—'}
        tone={closes && closes.whileSending > 0 ? 'bad' : undefined}
        title="Connections closed while the response was still being sent"
      />
      <Metric
        label="closed receiving (N)"
        value={closes ? formatCount(closes.whileReceiving) : '—'}
        tone={closes && closes.whileReceiving > 0 ? 'warn' : undefined}
        title={`Connections closed while a request was still arriving; ${formatCount(badCloses)} of ${formatCount(closedTotal)} closes were abnormal`}
      />
    </div>
  );
  if (s.count === 0) {
    return (
      <div style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
        <p className="note" style={{ margin: '4px 0' }}>
          No finished task in this range
          {closedTotal
            ? `, but ${formatCount(closedTotal)} connection close${closedTotal === 1 ? '' : 's'}`
            : ''}
          . Records are written when the next request starts or the connection closes, so an idle
          keep-alive connection shows up later.
        </p>
        {closedTotal > 0 && closeMetrics}
      </div>
    );
  }
  const points = buckets.map((b) => ({
    tMs: b.startMs,
    p50: b.count ? b.total.p50Us : null,
    p99: b.count ? b.total.p99Us : null,
  }));
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
      <div className="metric-row">
        <Metric
          label="tasks/s"
          value={formatRate(s.count / spanSec, '')}
          sub={`(${formatCount(s.count)})`}
          title={`${formatCount(s.count)} finished tasks in the range`}
        />
        <Metric
          label="p50 total"
          value={formatUs(s.typicalP50Us)}
          title="Count-weighted mean of the per-bucket medians"
        />
        <Metric
          label="p99 total, peak"
          value={formatUs(s.worstP99Us)}
          title="Highest per-bucket p99 in the range"
        />
        <Metric label="avg total" value={formatUs(s.avgTotalUs)} />
      </div>
      <PhaseSplit
        avg={{ uploadUs: s.avgUploadUs, processUs: s.avgProcessUs, downloadUs: s.avgDownloadUs }}
      />
      {closeMetrics}
      <TimeSeriesChart
        ariaLabel="Total time p50 and p99"
        points={points}
        series={[
          { key: 'p50', label: 'p50 total', color: 'var(--p50)', kind: 'line' },
          { key: 'p99', label: 'p99 total', color: 'var(--p99)', kind: 'line' },
        ]}
        fromMs={range.fromMs}
        toMs={range.toMs}
        bucketMs={bucketSec * 1000}
        formatValue={formatUs}
        formatTick={formatUsTick}
        height={120}
      />
    </div>
  );
}
