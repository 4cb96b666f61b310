'use client';

import type { RecordSort, StoredRecord } from '@tcprt/schema';
import { Fragment, useLayoutEffect, useRef } from 'react';
import { FastLinks } from '@/components/fast-links';
import { RecordKindBadge } from '@/components/record-kind';
import { SortHeader } from '@/components/sort-header';
import { formatEndpoint } from '@tcprt/schema';
import { formatBytes, formatTimestampMs, formatUs } from '@/lib/format';
import { requestPath, statusTone } from '@/lib/http-request';

const percent = (share: number | undefined) =>
  share === undefined ? '—' : `${Math.round(share * 100)} %`;

/** A sortable column; `us` is its value in µs where it is a duration (for the cell's data-us). */
interface SortableColumn {
  sort: RecordSort;
  label: string;
  format: (r: StoredRecord) => string;
  us?: (r: StoredRecord) => number | null;
}

const durationColumn = (
  sort: RecordSort,
  label: string,
  us: (r: StoredRecord) => number | null,
): SortableColumn => ({ sort, label, us, format: (r) => formatUs(us(r)) });

const SORTABLE: SortableColumn[] = [
  durationColumn('total', 'Total', (r) => r.totalUs),
  durationColumn('upload', 'Upload', (r) => r.uploadUs),
  durationColumn('process', 'Process', (r) => r.processUs),
  durationColumn('download', 'Download', (r) => r.downloadUs),
  // Where the download's time went (kernel chronographs; R/W records that have them).
  {
    sort: 'receiverLimited',
    label: 'Client window',
    format: (r) => percent(r.download?.receiverShare),
  },
  { sort: 'networkLimited', label: 'Network', format: (r) => percent(r.download?.networkShare) },
  {
    sort: 'applicationLimited',
    label: 'Server writes',
    format: (r) => percent(r.download?.applicationShare),
  },
  {
    sort: 'throughput',
    label: 'Throughput',
    format: (r) => (r.download?.bytesPerSec ? `${formatBytes(r.download.bytesPerSec)}/s` : '—'),
  },
];

/** The page's rows by peer address, peers in order of their first row (so the sort still leads). */
function groupByPeer(records: StoredRecord[]): [string, StoredRecord[]][] {
  const groups = new Map<string, StoredRecord[]>();
  for (const r of records) {
    const group = groups.get(r.peerAddr);
    if (group) group.push(r);
    else groups.set(r.peerAddr, [r]);
  }
  return [...groups.entries()];
}

/**
 * Start, type, peer, local, method, route, status and task, the sortable columns, then sent,
 * received, retr., RTT and connection.
 */
const COLUMNS = 8 + SORTABLE.length + 5;

export function TasksTable({
  records,
  sort,
  descending,
  onSort,
  linkQuery,
  groupedByPeer = false,
}: {
  records: StoredRecord[];
  sort: RecordSort;
  descending: boolean;
  onSort: (s: RecordSort) => void;
  linkQuery: string;
  groupedByPeer?: boolean;
}) {
  // On a narrow screen the table scrolls sideways: bring the sorted column into view.
  const wrap = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const box = wrap.current;
    const th = box?.querySelector<HTMLElement>(
      'th[aria-sort="ascending"], th[aria-sort="descending"]',
    );
    if (!box || !th || box.scrollWidth <= box.clientWidth) return;
    const left = th.offsetLeft;
    const right = left + th.offsetWidth;
    if (left < box.scrollLeft || right > box.scrollLeft + box.clientWidth)
      box.scrollLeft = Math.max(0, right - box.clientWidth + 8);
  }, [sort]);
  const row = (r: StoredRecord) => (
    <tr key={r.id} data-record-id={r.id}>
      <td className="mono">
        {/* Local time: the server renders in its own time zone, the browser corrects it. */}
        <a
          href={`/tasks/${r.id}${linkQuery}`}
          title={formatTimestampMs(r.startUs / 1000)}
          suppressHydrationWarning
        >
          {/* The day is in the title: the table reads faster with the time of day only. */}
          {formatTimestampMs(r.startUs / 1000).slice(11)}
        </a>
      </td>
      <td>
        <RecordKindBadge kind={r.kind} extensions={r.extensions} />
      </td>
      <td className="mono">{formatEndpoint({ ip: r.peerAddr, port: r.peerPort })}</td>
      <td className="mono">{formatEndpoint({ ip: r.localAddr, port: r.localPort })}</td>
      <td className="mono" data-column="method">
        {r.http?.method ?? '—'}
      </td>
      <td
        className="mono"
        data-column="route"
        title={r.http ? requestPath(r.http) : 'No HTTP request seen (http-mode ports only)'}
      >
        {r.http?.route ?? '—'}
      </td>
      <td className={`r ${statusTone(r.http?.status ?? null) ?? ''}`} data-column="status">
        {r.http?.status ?? '—'}
      </td>
      <td className="r">{r.taskNumber}</td>
      {SORTABLE.map((c) => (
        <td
          key={c.sort}
          className="r"
          data-us={c.us?.(r) ?? undefined}
          data-column={c.sort}
          style={c.sort === sort ? { fontWeight: 600 } : undefined}
        >
          {c.format(r)}
        </td>
      ))}
      <td className="r">{formatBytes(r.bytesSent)}</td>
      <td className="r">{formatBytes(r.bytesReceived)}</td>
      <td className="r">{r.retransmits ?? '—'}</td>
      <td className="r">{formatUs(r.minRttUs)}</td>
      <td>
        <a href={`/connections/${r.connectionId}${linkQuery}`}>#{r.connectionId}</a>
      </td>
    </tr>
  );
  return (
    <FastLinks>
      <div className="table-wrap" ref={wrap}>
        <table className="data" data-testid="tasks-table">
          <thead>
            <tr>
              <SortHeader
                sort="time"
                label="Start (T0)"
                current={sort}
                descending={descending}
                onSort={onSort}
              />
              <th>Type</th>
              <th>Peer</th>
              <th>Local</th>
              <th>Method</th>
              <th title="The endpoint group; hover a route for the request's path">Route</th>
              <th className="r">Status</th>
              <th className="r">Task</th>
              {SORTABLE.map((c) => (
                <SortHeader
                  key={c.sort}
                  sort={c.sort}
                  label={c.label}
                  current={sort}
                  descending={descending}
                  onSort={onSort}
                  align="r"
                />
              ))}
              <th className="r">Sent</th>
              <th className="r">Received</th>
              <th className="r">Retr.</th>
              <th className="r">min RTT</th>
              <th>Connection</th>
            </tr>
          </thead>
          <tbody>
            {groupedByPeer
              ? groupByPeer(records).map(([peer, rows]) => (
                  <Fragment key={peer}>
                    <tr className="group-head" data-testid="peer-group">
                      <th colSpan={COLUMNS} scope="rowgroup">
                        {peer} · {rows.length} on this page
                      </th>
                    </tr>
                    {rows.map(row)}
                  </Fragment>
                ))
              : records.map(row)}
          </tbody>
        </table>
      </div>
    </FastLinks>
  );
}
