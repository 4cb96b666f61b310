'use client';

import Link from 'next/link';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { CLOSE_REASONS, formatEndpoint, type CloseReasons, type PortService } from '@tcprt/schema';
import { TimeSeriesChart } from '@/components/charts/time-series-chart';
import { PageHeader } from '@/components/page-header';
import { QueryView } from '@/components/query-view';
import { RecordKindBadge } from '@/components/record-kind';
import { Teach } from '@/components/states';
import { TimeRangePicker } from '@/components/time-range-picker';
import { carriedQuery } from '@/lib/carried-query';
import { CLOSE_REASON_LABELS } from '@/lib/close-words';
import { portLabel, serviceDetail } from '@/lib/port-label';
import {
  formatBytes,
  formatCount,
  formatCountTick,
  formatTimestampMs,
  formatUs,
} from '@/lib/format';
import { bucketSecFor, type ResolvedRange } from '@/lib/time-range';
import { useTimeRange } from '@/lib/use-time-range';
import { useTRPC } from '@/lib/trpc';
import { useUrlParams } from '@/lib/use-url-params';

type Bucket = CloseReasons['buckets'][number];

/**
 * The agent lists only buckets that had closes; every bucket of the range is filled in per port
 * so quiet periods show as zero and the bars keep their width.
 */
function byPort(buckets: Bucket[], range: ResolvedRange, bucketSec: number): Map<number, Bucket[]> {
  const widthMs = bucketSec * 1000;
  const starts: number[] = [];
  for (let t = Math.floor(range.fromMs / widthMs) * widthMs; t < range.toMs; t += widthMs)
    starts.push(t);
  const out = new Map<number, Bucket[]>();
  for (const port of new Set(buckets.map((b) => b.port))) {
    const found = new Map(buckets.filter((b) => b.port === port).map((b) => [b.startMs, b]));
    out.set(
      port,
      starts.map(
        (startMs) =>
          found.get(startMs) ?? {
            startMs,
            port,
            normal: 0,
            whileSending: 0,
            whileReceiving: 0,
            reasons: Object.fromEntries(CLOSE_REASONS.map((r) => [r, 0])) as Bucket['reasons'],
          },
      ),
    );
  }
  return out;
}

function PortCloses({
  port,
  service,
  buckets,
  range,
  bucketSec,
  linkQuery,
}: {
  port: number;
  service: PortService | null;
  buckets: Bucket[];
  range: ResolvedRange;
  bucketSec: number;
  linkQuery: string;
}) {
  const totals = buckets.reduce(
    (t, b) => ({
      normal: t.normal + b.normal,
      sending: t.sending + b.whileSending,
      receiving: t.receiving + b.whileReceiving,
    }),
    { normal: 0, sending: 0, receiving: 0 },
  );
  const abnormal = totals.sending + totals.receiving;
  const reasons = CLOSE_REASONS.map((reason) => ({
    reason,
    count: buckets.reduce((n, b) => n + b.reasons[reason], 0),
  })).filter((r) => r.count > 0);
  return (
    <section
      className="panel"
      aria-label={`Close reasons on port ${port}`}
      data-testid={`close-reasons-${port}`}
    >
      <div className="panel-head">
        <h2 style={{ margin: 0 }} title={serviceDetail(service)}>
          {portLabel(port, false, service)}
        </h2>
        <span className="small num">
          <span>{formatCount(totals.normal)} normal</span> ·{' '}
          <span
            style={{ color: totals.sending ? 'var(--bad)' : undefined }}
            data-testid="while-sending"
          >
            {formatCount(totals.sending)} while sending (W)
          </span>{' '}
          ·{' '}
          <span
            style={{ color: totals.receiving ? 'var(--warn)' : undefined }}
            data-testid="while-receiving"
          >
            {formatCount(totals.receiving)} while receiving (N)
          </span>
        </span>
      </div>
      {reasons.length > 0 && (
        <p className="small num" style={{ margin: '0 0 8px' }} data-testid="close-reasons">
          By who closed and how (kernel close details):{' '}
          {reasons
            .map(({ reason, count }) => `${formatCount(count)} ${CLOSE_REASON_LABELS[reason]}`)
            .join(' · ')}
        </p>
      )}
      <TimeSeriesChart
        ariaLabel={`Connection closes on port ${port}`}
        points={buckets.map((b) => ({
          tMs: b.startMs,
          normal: b.normal,
          sending: b.whileSending,
          receiving: b.whileReceiving,
        }))}
        series={[
          { key: 'normal', label: 'normal', color: '#9fb3c8', kind: 'bar', stack: 'c' },
          {
            key: 'sending',
            label: 'closed while sending (W)',
            color: 'var(--bad)',
            kind: 'bar',
            stack: 'c',
          },
          {
            key: 'receiving',
            label: 'closed while receiving (N)',
            color: '#d99a2b',
            kind: 'bar',
            stack: 'c',
          },
        ]}
        fromMs={range.fromMs}
        toMs={range.toMs}
        bucketMs={bucketSec * 1000}
        formatValue={formatCount}
        formatTick={formatCountTick}
        integer
        height={170}
      />
      {abnormal > 0 && <AffectedConnections port={port} range={range} linkQuery={linkQuery} />}
    </section>
  );
}

/** The W and N records themselves, each one click from its connection's timeline. */
function AffectedConnections({
  port,
  range,
  linkQuery,
}: {
  port: number;
  range: ResolvedRange;
  linkQuery: string;
}) {
  const trpc = useTRPC();
  const list = useQuery({
    ...trpc.records.list.queryOptions({
      fromMs: Math.floor(range.fromMs),
      toMs: Math.ceil(range.toMs),
      localPort: port,
      kinds: 'W,N',
      sort: 'time',
      order: 'desc',
      limit: 20,
    }),
    placeholderData: keepPreviousData,
  });
  return (
    <div style={{ marginTop: 8 }}>
      <h3>Affected connections (latest 20)</h3>
      <QueryView query={list}>
        {(page) => (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th>Type</th>
                  <th>Task start</th>
                  <th>Peer</th>
                  <th className="r">Elapsed</th>
                  <th className="r">Bytes</th>
                  <th>Connection</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <RecordKindBadge kind={r.kind} />
                    </td>
                    <td className="mono">{formatTimestampMs(r.startUs / 1000)}</td>
                    <td className="mono">{formatEndpoint({ ip: r.peerAddr, port: r.peerPort })}</td>
                    <td className="r">{formatUs(r.totalUs)}</td>
                    <td className="r">
                      {r.kind === 'W'
                        ? `${formatBytes(r.bytesSent)} sent`
                        : `${formatBytes(r.bytesReceived)} received`}
                    </td>
                    <td>
                      <Link prefetch={false} href={`/connections/${r.connectionId}${linkQuery}`}>
                        connection #{r.connectionId} →
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryView>
    </div>
  );
}

export function CloseReasonsView() {
  const trpc = useTRPC();
  const time = useTimeRange();
  const { params } = useUrlParams();
  const bucketSec = bucketSecFor(time.range, 60);
  // `?port=N` narrows the page to one port (as the overview's links and shared URLs ask).
  const portParam = Number(params.get('port'));
  const port =
    Number.isInteger(portParam) && portParam >= 1 && portParam <= 65535 ? portParam : undefined;
  const closes = useQuery({
    ...trpc.stats.closeReasons.queryOptions({
      fromMs: Math.floor(time.range.fromMs),
      toMs: Math.ceil(time.range.toMs),
      bucketSec,
      port,
    }),
    placeholderData: keepPreviousData,
  });
  // Only for the ports' names: the closes are drawn without waiting for it.
  const ports = useQuery({
    ...trpc.stats.ports.queryOptions({
      fromMs: Math.floor(time.range.fromMs),
      toMs: Math.ceil(time.range.toMs),
    }),
    placeholderData: keepPreviousData,
  });
  const serviceOf = (port: number) =>
    ports.data?.ports.find((p) => p.port === port && !p.peer)?.service ?? null;
  return (
    <>
      <PageHeader
        title={port ? `Close reasons · :${port}` : 'Close reasons'}
        sub="How tracked server-side connections ended: normally, while the response was still being sent (W), or while a request was still arriving (N)."
      >
        <TimeRangePicker state={time} />
      </PageHeader>
      <QueryView query={closes} loadingHeight={300}>
        {(data) => {
          const ports = byPort(data.buckets, time.range, data.bucketSec);
          if (ports.size === 0) {
            return (
              <div className="panel">
                <Teach title="No connection closed in this range">
                  <p>
                    A close is recorded when a tracked connection that carried at least one request
                    ends. Widen the range or wait for connections to close.
                  </p>
                </Teach>
              </div>
            );
          }
          return (
            <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
              {[...ports.entries()].map(([port, buckets]) => (
                <PortCloses
                  key={port}
                  port={port}
                  service={serviceOf(port)}
                  buckets={buckets}
                  range={time.range}
                  bucketSec={data.bucketSec}
                  linkQuery={carriedQuery(params)}
                />
              ))}
            </div>
          );
        }}
      </QueryView>
    </>
  );
}
