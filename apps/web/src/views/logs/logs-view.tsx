'use client';

import { useQuery } from '@tanstack/react-query';
import { PageHeader } from '@/components/page-header';
import { QueryView } from '@/components/query-view';
import { TimeRangePicker } from '@/components/time-range-picker';
import { formatBytes, formatTimestampMs } from '@/lib/format';
import { useTimeRange } from '@/lib/use-time-range';
import { useTRPC } from '@/lib/trpc';
import { LiveTail } from './live-tail';

function downloadHref(file: 'log' | 'stats', window?: { fromMs: number; toMs: number }): string {
  if (!window) return `/api/raw/${file}`;
  return `/api/raw/${file}?fromMs=${Math.floor(window.fromMs)}&toMs=${Math.ceil(window.toMs)}`;
}

export function LogsView() {
  const trpc = useTRPC();
  const time = useTimeRange();
  const files = useQuery(trpc.status.rawFiles.queryOptions({}));
  const status = useQuery(trpc.status.get.queryOptions({}));
  const rangeText = `${formatTimestampMs(time.range.fromMs).slice(0, 16)} → ${formatTimestampMs(time.range.toMs).slice(0, 16)}`;
  return (
    <>
      <PageHeader
        title="Raw logs"
        sub="The SPEC log lines (V6/V7) and stats lines, byte for byte as existing TCP-RT parsers expect them."
      >
        <TimeRangePicker state={time} />
      </PageHeader>
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
                  {what}. Bounded by the init section: the oldest sub-buffer is dropped first, so
                  older lines live on only in the database.
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
                    Download {rangeText}
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
