'use client';

import Link from 'next/link';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { PageHeader } from '@/components/page-header';
import { Teach } from '@/components/states';
import { QueryView } from '@/components/query-view';
import { TimeRangePicker } from '@/components/time-range-picker';
import { carriedQuery } from '@/lib/carried-query';
import { useTimeRange } from '@/lib/use-time-range';
import { useTRPC } from '@/lib/trpc';
import { useUrlParams } from '@/lib/use-url-params';
import { seriesInput, windowInput } from '@/lib/series-query';
import { overviewWindow } from './overview-queries';
import { PortCard } from './port-card';

export function OverviewView({ initialNowMs }: { initialNowMs?: number }) {
  const trpc = useTRPC();
  const time = useTimeRange(initialNowMs);
  const { params, update } = useUrlParams();
  const queryWindow = overviewWindow(time.range);
  const { fromMs, toMs, bucketSec } = queryWindow;
  const ports = useQuery({
    ...trpc.stats.ports.queryOptions({ fromMs, toMs }),
    placeholderData: keepPreviousData,
  });
  const rules = useQuery(trpc.config.rules.list.queryOptions({}));

  const portList = ports.data?.ports ?? [];
  const series = useQueries({
    queries: portList.map((p) => ({
      ...trpc.stats.series.queryOptions(seriesInput(p, queryWindow)),
      placeholderData: keepPreviousData,
    })),
  });
  const windows = useQueries({
    queries: portList.map((p) => ({
      ...trpc.stats.window.queryOptions(windowInput(p, queryWindow)),
      placeholderData: keepPreviousData,
    })),
  });
  const order = params.get('order') === 'busiest' ? 'busiest' : 'slowest';
  const cards = portList.map((p, i) => ({
    ...p,
    series: series[i]!,
    window: windows[i]!,
    p99: windows[i]?.data?.total.p99Us ?? -1,
  }));
  // Slowest first answers "which port is slow"; the agent already lists ports busiest first.
  if (order === 'slowest') cards.sort((a, b) => b.p99 - a.p99);

  const linkQuery = carriedQuery(params);

  return (
    <>
      <PageHeader
        title="Overview"
        sub="One card per port with finished tasks in the range. Times are per task: first request byte → last ACK."
      >
        <div className="toolbar">
          <label className="toolbar small muted">
            Order
            <select
              value={order}
              onChange={(e) =>
                update((p) =>
                  e.target.value === 'busiest' ? p.set('order', 'busiest') : p.delete('order'),
                )
              }
            >
              <option value="slowest">slowest p99 first</option>
              <option value="busiest">busiest first</option>
            </select>
          </label>
          <TimeRangePicker state={time} />
        </div>
      </PageHeader>
      <QueryView query={ports} loadingHeight={240}>
        {(data) => {
          if (data.ports.length === 0) {
            const ruleCount = rules.data?.rules.length;
            if (ruleCount === 0) {
              return (
                <div className="panel">
                  <Teach title="No port is tracked yet">
                    <p>
                      tcprt only times connections on ports named in a rule. Add one on the{' '}
                      <Link prefetch={false} href={`/config${linkQuery}`}>
                        Configuration
                      </Link>{' '}
                      page, or in <code>tcprt.yaml</code>:
                    </p>
                    <pre>{'per-port:\n  - port: 80\n    mode: http'}</pre>
                    <p className="note">
                      Connections established after the rule is applied are tracked; ones already
                      open keep their old decision.
                    </p>
                  </Teach>
                </div>
              );
            }
            return (
              <div className="panel">
                <Teach title="No traffic in this range yet">
                  <p>
                    {ruleCount === undefined
                      ? 'Rules are configured'
                      : `${ruleCount} rule${ruleCount === 1 ? ' is' : 's are'} configured`}
                    , but no task finished on a tracked port in this time range. Try a wider range,
                    or send a request to a tracked port.
                  </p>
                  <p className="note">
                    A task is written when the next request starts on its connection or when the
                    connection closes, so a request on an idle keep-alive connection appears only
                    later.
                  </p>
                </Teach>
              </div>
            );
          }
          return (
            <div className="grid-cards">
              {cards.map((p) => (
                <PortCard
                  key={`${p.peer ? 'P' : ''}${p.port}`}
                  port={p.port}
                  peer={p.peer}
                  service={p.service}
                  range={time.range}
                  bucketSec={bucketSec}
                  series={p.series}
                  window={p.window}
                  linkQuery={linkQuery}
                />
              ))}
            </div>
          );
        }}
      </QueryView>
    </>
  );
}
