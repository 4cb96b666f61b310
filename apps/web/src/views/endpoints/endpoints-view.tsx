'use client';

import Link from 'next/link';
import { keepPreviousData, skipToken, useQuery } from '@tanstack/react-query';
import { OTHER_ROUTE } from '@tcprt/schema';
import { PageHeader } from '@/components/page-header';
import { PortPicker } from '@/components/port-picker';
import { QueryView } from '@/components/query-view';
import { Teach } from '@/components/states';
import { TimeRangePicker } from '@/components/time-range-picker';
import { carriedQuery, withParams } from '@/lib/carried-query';
import {
  SPLIT_QUANTILES,
  nextSort,
  noRoutesReason,
  readEndpointParams,
  writeEndpointParams,
  type EndpointParams,
} from '@/lib/endpoint-routes';
import { formatCount } from '@/lib/format';
import { portLabel } from '@/lib/port-label';
import { useTimeRange } from '@/lib/use-time-range';
import { useTRPC } from '@/lib/trpc';
import { useUrlParams } from '@/lib/use-url-params';
import { endpointsInput, endpointsPort, localPorts } from './endpoints-queries';
import { RoutesTable } from './routes-table';

export function EndpointsView({ initialNowMs }: { initialNowMs?: number }) {
  const trpc = useTRPC();
  const time = useTimeRange(initialNowMs);
  const { params, update } = useUrlParams();
  const range = { fromMs: time.range.fromMs, toMs: time.range.toMs };
  const ports = useQuery({
    ...trpc.stats.ports.queryOptions(range),
    placeholderData: keepPreviousData,
  });
  const port = endpointsPort(params, ports.data);
  const service = ports.data?.ports.find((p) => !p.peer && p.port === port)?.service;
  const input = port === null ? null : endpointsInput(port, time.range);
  const endpoints = useQuery({
    ...trpc.stats.endpoints.queryOptions(input ?? skipToken),
    placeholderData: keepPreviousData,
  });
  const table = readEndpointParams(params);
  const setTable = (next: EndpointParams) => update((p) => writeEndpointParams(p, next));
  const linkQuery = carriedQuery(params);
  const label = port === null ? null : portLabel(port, false, service);

  return (
    <>
      <PageHeader
        title={label ? `Endpoints · ${label}` : 'Endpoints'}
        sub="Each route of an http-mode port: rate, 5xx share, percentiles of total time and its split. A route opens its tasks, slowest first."
      >
        <TimeRangePicker state={time} />
      </PageHeader>
      <div className="toolbar" style={{ justifyContent: 'space-between' }}>
        <PortPicker
          port={port}
          peer={false}
          known={localPorts(ports.data)}
          onPick={(picked) => update((p) => p.set('port', String(picked)))}
        />
        <div className="toolbar">
          <span className="small muted">Split at</span>
          <div className="segmented" role="group" aria-label="Split percentile">
            {SPLIT_QUANTILES.map((q) => (
              <button
                key={q}
                type="button"
                aria-pressed={table.split === q}
                onClick={() => setTable({ ...table, split: q })}
              >
                {q}
              </button>
            ))}
          </div>
          {port !== null && (
            <span className="small">
              <Link
                prefetch={false}
                href={withParams(`/trends${linkQuery}`, { port: String(port) })}
              >
                trends
              </Link>
              {' · '}
              <Link
                prefetch={false}
                href={withParams(`/tasks${linkQuery}`, { localPort: String(port), sort: 'total' })}
              >
                tasks
              </Link>
            </span>
          )}
        </div>
      </div>
      {port === null || !input ? (
        ports.isLoading ? null : (
          <div className="panel">
            <Teach title="No server port had tasks in this range">
              <p>
                Pick a wider range, or type a tracked port above. Routes are listed for ports whose
                rule is in http mode.
              </p>
            </Teach>
          </div>
        )
      ) : (
        <QueryView query={endpoints} loadingHeight={240}>
          {(data) => {
            const reason = noRoutesReason(data);
            if (reason)
              return (
                <div className="panel" data-testid="endpoints-empty">
                  {reason === 'no-tasks' ? (
                    <Teach title={`No tasks on ${label} in this range`}>
                      <p>
                        Nothing finished on this port in the range. Widen the range, or check that a
                        rule tracks the port (Configuration).
                      </p>
                    </Teach>
                  ) : (
                    <Teach title={`No HTTP requests on ${label} in this range`}>
                      <p>
                        {formatCount(data.withoutRequest)} task
                        {data.withoutRequest === 1 ? '' : 's'} finished, but none carried an HTTP
                        request the kernel could read: the port&apos;s rule is not in{' '}
                        <code>http</code> mode, or its clients speak another protocol (or TLS). Set{' '}
                        <code>mode: http</code> on the rule in{' '}
                        <Link href={`/config${linkQuery}`}>Configuration</Link> to see its routes.
                      </p>
                    </Teach>
                  )}
                </div>
              );
            return (
              <section className="panel" aria-label="Routes">
                <RoutesTable
                  port={data.port}
                  routes={data.routes}
                  window={input}
                  params={table}
                  onSort={(sort) => setTable(nextSort(table, sort))}
                />
                <p className="note">
                  Paths are grouped into routes with their ids replaced (<code>/users/123</code> →{' '}
                  <code>/users/{'{n}'}</code>
                  ); at most {formatCount(data.routeLimit)} routes per port, the rest count as{' '}
                  <code>{OTHER_ROUTE}</code>. 5xx is the share of answered tasks.
                  {data.withoutRequest > 0 &&
                    ` ${formatCount(data.withoutRequest)} tasks of the range had no HTTP request and are not listed.`}
                </p>
              </section>
            );
          }}
        </QueryView>
      )}
    </>
  );
}
