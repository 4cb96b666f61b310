'use client';

import Link from 'next/link';
import type { UseQueryResult } from '@tanstack/react-query';
import type { PortService, StatsBucket, StatsSeries, StatsWindow } from '@tcprt/schema';
import { useRouter } from 'next/navigation';
import { Metric, PhaseSplit } from '@/components/phase-split';
import { TimeSeriesChart } from '@/components/charts/time-series-chart';
import { ErrorState, Loading } from '@/components/states';
import { bucketTasksHref } from '@/lib/bucket-tasks';
import { formatCount, formatPermille, formatRate, formatUs, formatUsTick } from '@/lib/format';
import { portLabel, serviceDetail } from '@/lib/port-label';
import type { ResolvedRange } from '@/lib/time-range';

interface Props {
  port: number;
  peer: boolean;
  /** Who serves the port (stats.ports); null when unknown. */
  service: PortService | null;
  range: ResolvedRange;
  bucketSec: number;
  /** The port's series query, owned by the overview so it can order the cards by their figures. */
  series: UseQueryResult<StatsSeries, { message: string }>;
  /** The port's exact figures for the whole range (percentiles of all its tasks, rate, closes). */
  window: UseQueryResult<StatsWindow, { message: string }>;
  linkQuery: string;
}

export function PortCard({
  port,
  peer,
  service,
  range,
  bucketSec,
  series,
  window,
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
            href={`/tasks${linkQuery}${linkQuery ? '&' : '?'}${peer ? 'peerPort' : 'localPort'}=${port}&sort=total`}
            title="This port's tasks in the range, slowest first"
          >
            tasks
          </Link>
          {' · '}
          <Link prefetch={false} href={`/trends${portQuery}`}>
            trends
          </Link>
          {!peer && (
            <>
              {' · '}
              <Link
                prefetch={false}
                href={`/endpoints${portQuery}`}
                title="This port's HTTP routes (ports in http mode)"
              >
                endpoints
              </Link>
            </>
          )}
        </span>
      </div>
      {series.isError && !series.data ? (
        <ErrorState error={series.error} retry={() => void series.refetch()} />
      ) : window.isError && !window.data ? (
        <ErrorState error={window.error} retry={() => void window.refetch()} />
      ) : !series.data || !window.data ? (
        <Loading height={170} />
      ) : (
        <CardBody
          buckets={series.data.buckets}
          window={window.data}
          range={range}
          bucketSec={bucketSec}
          port={port}
          peer={peer}
          linkQuery={linkQuery}
        />
      )}
    </section>
  );
}

function CardBody({
  buckets,
  window: w,
  range,
  bucketSec,
  port,
  peer,
  linkQuery,
}: {
  buckets: StatsBucket[];
  window: StatsWindow;
  range: ResolvedRange;
  bucketSec: number;
  port: number;
  peer: boolean;
  linkQuery: string;
}) {
  const router = useRouter();
  const closedTotal = w.closes;
  const badCloses = w.closesSending + w.closesReceiving;
  const closesHref = (kind: 'W' | 'N') =>
    `/tasks${linkQuery}${linkQuery ? '&' : '?'}localPort=${port}&kinds=${kind}`;
  const closeMetrics = (
    <div className="metric-row">
      <Metric
        label="retransmits"
        value={w.count ? formatPermille(w.retransPermille) : '—'}
        tone={w.retransPermille >= 10 ? 'warn' : undefined}
      />
      <Metric
        label="min RTT"
        value={w.count ? formatUs(w.avgMinRttUs) : '—'}
        title="Average of the tasks' minimum RTT"
      />
      <Metric
        label="W closes"
        value={peer ? '—' : formatCount(w.closesSending)}
        href={peer ? undefined : closesHref('W')}
        testId="card-w"
        tone={!peer && w.closesSending > 0 ? 'bad' : undefined}
        title="Connections closed while the response was still being sent (W): click for them"
      />
      <Metric
        label="N closes"
        value={peer ? '—' : formatCount(w.closesReceiving)}
        href={peer ? undefined : closesHref('N')}
        testId="card-n"
        tone={!peer && w.closesReceiving > 0 ? 'warn' : undefined}
        title={`Connections closed while a request was still arriving (N): click for them; ${formatCount(badCloses)} of ${formatCount(closedTotal)} closes were abnormal`}
      />
    </div>
  );
  if (w.count === 0) {
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
          value={formatRate(w.tasksPerSec, '')}
          sub={`(${formatCount(w.count)})`}
          title={`${formatCount(w.count)} finished tasks over the ${formatCount(w.activeSec)} s of the range in which the port had traffic`}
          testId="card-rate"
        />
        <Metric
          label="p50 total"
          value={formatUs(w.total.p50Us)}
          title="Median of all tasks in the range"
          testId="card-p50"
          dataUs={w.total.p50Us}
        />
        <Metric
          label="p90 total"
          value={formatUs(w.total.p90Us)}
          title="90th percentile of all tasks in the range"
          dataUs={w.total.p90Us}
        />
        <Metric
          label="p99 total"
          value={formatUs(w.total.p99Us)}
          title="99th percentile of all tasks in the range (within ±3 %)"
          testId="card-p99"
          dataUs={w.total.p99Us}
        />
      </div>
      <PhaseSplit
        avg={{ uploadUs: w.upload.avgUs, processUs: w.process.avgUs, downloadUs: w.download.avgUs }}
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
        onBucketClick={(startMs) =>
          router.push(
            bucketTasksHref({ port, peer, fromMs: startMs, toMs: startMs + bucketSec * 1000 }),
          )
        }
      />
    </div>
  );
}
