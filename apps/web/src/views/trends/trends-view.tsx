'use client';

import { keepPreviousData, skipToken, useQuery } from '@tanstack/react-query';
import type { LatencyPhase } from '@tcprt/schema';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { LatencyHeatmap } from '@/components/charts/latency-heatmap';
import { PageHeader } from '@/components/page-header';
import { PortPicker } from '@/components/port-picker';
import { QueryView } from '@/components/query-view';
import { Teach } from '@/components/states';
import { TimeRangePicker } from '@/components/time-range-picker';
import { bucketTasksHref } from '@/lib/bucket-tasks';
import { carriedQuery, withParams } from '@/lib/carried-query';
import { portLabel } from '@/lib/port-label';
import { formatBucketWidth } from '@/lib/time-range';
import { useTimeRange } from '@/lib/use-time-range';
import { useTRPC } from '@/lib/trpc';
import { useUrlParams } from '@/lib/use-url-params';
import { TrendCharts } from './trend-charts';
import { seriesInput } from '@/lib/series-query';
import { chosenPort, trendsWindow } from './trends-queries';
import { WindowPanel } from './window-panel';

const PHASES: LatencyPhase[] = ['total', 'upload', 'process', 'download'];

export function TrendsView({ initialNowMs }: { initialNowMs?: number }) {
  const trpc = useTRPC();
  const time = useTimeRange(initialNowMs);
  const { params, update } = useUrlParams();
  const queryWindow = trendsWindow(time.range);
  const { fromMs, toMs, bucketSec } = queryWindow;
  const ports = useQuery({
    ...trpc.stats.ports.queryOptions({ fromMs, toMs }),
    placeholderData: keepPreviousData,
  });
  const chosen = chosenPort(params, ports.data);
  const chosenService = ports.data?.ports.find(
    (p) => p.port === chosen?.port && p.peer === chosen.peer,
  )?.service;
  const series = useQuery({
    ...trpc.stats.series.queryOptions(chosen ? seriesInput(chosen, queryWindow) : skipToken),
    placeholderData: keepPreviousData,
  });
  const windowFigures = useQuery({
    ...trpc.stats.window.queryOptions(
      chosen
        ? { port: chosen.port, side: chosen.peer ? 'peer' : 'local', fromMs, toMs }
        : skipToken,
    ),
    placeholderData: keepPreviousData,
  });
  const phase = PHASES.find((p) => p === params.get('phase')) ?? 'total';
  const heatmap = useQuery({
    ...trpc.stats.heatmap.queryOptions(
      chosen ? { ...seriesInput(chosen, queryWindow), phase } : skipToken,
    ),
    placeholderData: keepPreviousData,
  });
  const closes = useQuery({
    ...trpc.stats.closeReasons.queryOptions(
      chosen && !chosen.peer ? { port: chosen.port, fromMs, toMs, bucketSec } : skipToken,
    ),
    placeholderData: keepPreviousData,
  });
  const logScale = params.get('scale') === 'log';
  const router = useRouter();
  const openBucket = (startMs: number, minUs?: number, sort: LatencyPhase = 'total') => {
    if (chosen)
      router.push(
        bucketTasksHref({
          ...chosen,
          fromMs: startMs,
          toMs: startMs + bucketSec * 1000,
          sort,
          minUs,
        }),
      );
  };
  const pick = (port: number, peer: boolean) =>
    update((p) => {
      p.set('port', String(port));
      if (peer) p.set('peer', '1');
      else p.delete('peer');
    });

  return (
    <>
      <PageHeader
        title={
          chosen
            ? `Port trends · ${portLabel(chosen.port, chosen.peer, chosenService)}`
            : 'Port trends'
        }
        sub={`Buckets of ${formatBucketWidth(bucketSec)}. Empty buckets are gaps. Drag across a chart to zoom (Back returns); click a bucket for its tasks, slowest first.`}
      >
        <TimeRangePicker state={time} />
      </PageHeader>
      <div className="toolbar" role="group" aria-label="Chart options">
        <button
          type="button"
          aria-pressed={logScale}
          onClick={() => update((p) => (logScale ? p.delete('scale') : p.set('scale', 'log')))}
        >
          Log scale
        </button>
        <label className="toolbar small muted">
          Distribution of
          <select
            value={phase}
            onChange={(e) =>
              update((p) =>
                e.target.value === 'total' ? p.delete('phase') : p.set('phase', e.target.value),
              )
            }
          >
            {PHASES.map((p) => (
              <option key={p} value={p}>
                {p} time
              </option>
            ))}
          </select>
        </label>
      </div>
      <PortPicker
        port={chosen?.port ?? null}
        peer={chosen?.peer ?? false}
        known={ports.data?.ports ?? []}
        onPick={pick}
      />
      {chosen && !chosen.peer && (
        <p className="small" style={{ margin: 0 }}>
          <Link
            prefetch={false}
            href={withParams(`/endpoints${carriedQuery(params)}`, { port: String(chosen.port) })}
            title="Rate, 5xx share and percentiles per HTTP route (ports in http mode)"
          >
            Endpoints of {portLabel(chosen.port, false, chosenService)} →
          </Link>
        </p>
      )}
      {!chosen ? (
        ports.isLoading ? null : (
          <div className="panel">
            <Teach title="No port had tasks in this range">
              <p>
                Pick a wider range, or type a tracked port above. Ports appear here once a task on
                them has finished.
              </p>
            </Teach>
          </div>
        )
      ) : (
        <>
          <QueryView query={series} loadingHeight={400}>
            {(data) => (
              <TrendCharts
                buckets={data.buckets}
                closes={chosen.peer ? undefined : (closes.data?.buckets ?? [])}
                range={time.range}
                bucketSec={data.bucketSec}
                logScale={logScale}
                onZoom={time.zoomTo}
                onBucketClick={(startMs) => openBucket(startMs)}
              />
            )}
          </QueryView>
          <div className="grid-2">
            <section className="panel" aria-label="Latency heatmap">
              <h2>
                Heatmap of {phase} time per {formatBucketWidth(bucketSec)}
              </h2>
              <QueryView query={heatmap} loadingHeight={220}>
                {(data) =>
                  data.cells.length === 0 ? (
                    <p className="note">No tasks in this range.</p>
                  ) : (
                    <LatencyHeatmap
                      heatmap={data}
                      fromMs={time.range.fromMs}
                      toMs={time.range.toMs}
                      ariaLabel={`Heatmap of ${phase} time: time by latency, darker for more tasks`}
                      onZoom={time.zoomTo}
                      onCellClick={(startMs, lowUs) => openBucket(startMs, lowUs, phase)}
                    />
                  )
                }
              </QueryView>
            </section>
            <QueryView query={windowFigures} loadingHeight={300}>
              {(data) => <WindowPanel window={data} phase={phase} />}
            </QueryView>
          </div>
        </>
      )}
    </>
  );
}
