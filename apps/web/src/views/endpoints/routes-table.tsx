'use client';

import { OTHER_ROUTE, type EndpointRoute } from '@tcprt/schema';
import Link from 'next/link';
import { SortHeader } from '@/components/sort-header';
import { bucketTasksHref } from '@/lib/bucket-tasks';
import {
  sortEndpointRoutes,
  statusEntries,
  type EndpointParams,
  type EndpointSort,
} from '@/lib/endpoint-routes';
import { formatCount, formatRate, formatShare, formatUs } from '@/lib/format';
import { requestLabel, statusTone } from '@/lib/http-request';

const PHASES = ['upload', 'process', 'download'] as const;

function StatusCounts({ counts }: { counts: Record<string, number> }) {
  const entries = statusEntries(counts);
  if (entries.length === 0) return <span className="muted">no status seen</span>;
  return (
    <>
      {entries.map(([code, n], i) => (
        <span key={code} className={statusTone(Number(code))} data-status={code}>
          {i > 0 ? ' · ' : ''}
          {code} ×{formatCount(n)}
        </span>
      ))}
    </>
  );
}

/**
 * One port's routes over the window, sorted as the URL says; each route opens its tasks of the
 * window slowest first.
 */
export function RoutesTable({
  port,
  routes,
  window,
  params,
  onSort,
}: {
  port: number;
  routes: EndpointRoute[];
  window: { fromMs: number; toMs: number };
  params: EndpointParams;
  onSort: (sort: EndpointSort) => void;
}) {
  const header = (sort: EndpointSort, label: string, title?: string) => (
    <SortHeader
      sort={sort}
      label={label}
      title={title}
      current={params.sort}
      descending={params.desc}
      onSort={onSort}
      align={sort === 'route' ? undefined : 'r'}
    />
  );
  const split = params.split;
  return (
    <div className="table-wrap">
      <table className="data" data-testid="endpoints-table">
        <thead>
          <tr>
            {header('route', 'Route', 'Sort by route')}
            {header('rate', 'Rate', 'Sort by tasks per second over the range')}
            <th className="r">Tasks</th>
            {header('errors', '5xx', 'Sort by the share of answered tasks with a 5xx status')}
            {header('p50', 'p50 total')}
            {header('p90', 'p90 total')}
            {header('p99', 'p99 total')}
            {PHASES.map((p) =>
              header(
                p,
                `${p[0]!.toUpperCase()}${p.slice(1)} ${split}`,
                `Sort by ${p} time at ${split}`,
              ),
            )}
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {sortEndpointRoutes(routes, params).map((r) => (
            <tr
              key={`${r.method} ${r.route}`}
              data-testid="endpoint-row"
              data-method={r.method}
              data-route={r.route}
            >
              <td className="mono">
                <Link
                  prefetch={false}
                  href={bucketTasksHref({
                    port,
                    peer: false,
                    ...window,
                    request: { method: r.method, route: r.route },
                  })}
                  title={
                    r.route === OTHER_ROUTE
                      ? "Tasks of the routes beyond the port's group limit, slowest first"
                      : 'This route’s tasks in the range, slowest first'
                  }
                >
                  {requestLabel(r)}
                </Link>
              </td>
              <td className="r">{formatRate(r.tasksPerSec)}</td>
              <td className="r" data-column="count">
                {formatCount(r.count)}
              </td>
              <td
                className={`r ${r.serverErrors > 0 ? 'text-bad' : ''}`}
                data-column="errors"
                title={`${formatCount(r.serverErrors)} answered with 5xx`}
              >
                {formatShare(r.errorRatio)}
              </td>
              {(['p50', 'p90', 'p99'] as const).map((q) => (
                <td key={q} className="r" data-column={q} data-us={r.total[`${q}Us`]}>
                  {formatUs(r.total[`${q}Us`])}
                </td>
              ))}
              {PHASES.map((p) => (
                <td key={p} className="r" data-column={p} data-us={r[p][`${split}Us`]}>
                  {formatUs(r[p][`${split}Us`])}
                </td>
              ))}
              <td className="small" data-column="status">
                <StatusCounts counts={r.statusCounts} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
