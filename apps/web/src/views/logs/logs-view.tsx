'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { HistorySpan } from '@tcprt/schema';
import { PageHeader } from '@/components/page-header';
import { QueryView } from '@/components/query-view';
import { TimeRangePicker } from '@/components/time-range-picker';
import { formatBytes, formatCount, formatTimestampMs } from '@/lib/format';
import { useTimeRange } from '@/lib/use-time-range';
import { useTRPC } from '@/lib/trpc';
import { LiveTail } from './live-tail';

function downloadHref(file: 'log' | 'stats', window?: { fromMs: number; toMs: number }): string {
  if (!window) return `/api/raw/${file}`;
  return `/api/raw/${file}?fromMs=${Math.floor(window.fromMs)}&toMs=${Math.ceil(window.toMs)}`;
}

/** What a history download of the range holds, said before it starts. */
function HistoryPanel({
  span,
  window,
}: {
  span: HistorySpan;
  window: { fromMs: number; toMs: number };
}) {
  const at = (us: number) => formatTimestampMs(us / 1000).slice(0, 19);
  return (
    <section className="panel" aria-label="History download">
      <div className="panel-head">
        <h2>History of the range</h2>
        <span className="small num" data-testid="history-lines">
          {formatCount(span.lines)} line{span.lines === 1 ? '' : 's'}
        </span>
      </div>
      <p className="note" style={{ marginTop: 0 }} data-testid="history-span">
        {span.firstStartUs !== null && span.lastStartUs !== null
          ? `Records starting ${at(span.firstStartUs)} → ${at(span.lastStartUs)}, from the database, oldest first, in the log file's format (V6/V7).`
          : 'No stored record starts in this range.'}{' '}
        {span.oldestStoredUs !== null
          ? `The database holds records since ${at(span.oldestStoredUs)}.`
          : 'The database holds no records yet.'}
      </p>
      <div className="toolbar">
        <a
          className="button primary"
          href={`/api/history/log?fromMs=${window.fromMs}&toMs=${window.toMs}`}
          download
          data-testid="download-history"
          aria-disabled={span.lines === 0}
        >
          Download {formatCount(span.lines)} lines
        </a>
      </div>
    </section>
  );
}

export function LogsView() {
  const trpc = useTRPC();
  const time = useTimeRange();
  const files = useQuery(trpc.status.rawFiles.queryOptions({}));
  const status = useQuery(trpc.status.get.queryOptions({}));
  const historyWindow = {
    fromMs: Math.floor(time.range.fromMs),
    toMs: Math.ceil(time.range.toMs),
  };
  const span = useQuery({
    ...trpc.records.historySpan.queryOptions(historyWindow),
    placeholderData: keepPreviousData,
  });
  const rangeText = `${formatTimestampMs(time.range.fromMs).slice(0, 16)} → ${formatTimestampMs(time.range.toMs).slice(0, 16)}`;
  return (
    <>
      <PageHeader
        title="Raw logs"
        sub="The SPEC log lines (V6/V7) and stats lines, byte for byte as existing TCP-RT parsers expect them."
      >
        <TimeRangePicker state={time} />
      </PageHeader>
      <QueryView query={span}>
        {(data) => <HistoryPanel span={data} window={historyWindow} />}
      </QueryView>
      <QueryView query={files}>
        {(info) => (
          <div className="grid-2">
            {(
              [
                ['log', 'Log file', 'One record per line', info.log],
                [
                  'stats',
                  'Stats file',
                  'One line per port per interval (when stats are enabled)',
                  info.stats,
                ],
              ] as const
            ).map(([file, title, what, size]) => (
              <section key={file} className="panel" aria-label={title}>
                <div className="panel-head">
                  <h2>{title}</h2>
                  <span className="small num">
                    {formatBytes(size.sizeBytes)} of at most {formatBytes(size.boundBytes)}
                  </span>
                </div>
                <p className="note" style={{ marginTop: 0 }}>
                  {what}, as TCP-RT writes it live. Bounded by the init section: the oldest
                  sub-buffer is dropped first, so older lines live on only in the database (above).
                </p>
                <div className="toolbar">
                  <a
                    className="button primary"
                    href={downloadHref(file)}
                    download
                    data-testid={`download-${file}`}
                  >
                    Download whole file
                  </a>
                  <a
                    className="button"
                    href={downloadHref(file, time.range)}
                    download
                    data-testid={`download-${file}-range`}
                  >
                    Download the file&apos;s lines in {rangeText}
                  </a>
                </div>
              </section>
            ))}
          </div>
        )}
      </QueryView>
      {status.data && <LiveTail startAfterId={status.data.database.lastRecordId} />}
    </>
  );
}
