'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import {
  formatEndpoint,
  parseLogLine,
  type ConnectionTimeline,
  type StoredRecord,
} from '@tcprt/schema';
import { PhaseGantt, type GanttRow } from '@/components/charts/phase-gantt';
import { PageHeader } from '@/components/page-header';
import { QueryView } from '@/components/query-view';
import { RecordKindBadge } from '@/components/record-kind';
import { Teach } from '@/components/states';
import { carriedQuery } from '@/lib/carried-query';
import { closeMeaning } from '@/lib/close-meaning';
import { formatBytes, formatTimestampMs, formatUs } from '@/lib/format';
import { taskTimeline } from '@/lib/task-timeline';
import { useTRPC } from '@/lib/trpc';
import { useUrlParams } from '@/lib/use-url-params';

export function ConnectionView({ connectionId }: { connectionId: number }) {
  const trpc = useTRPC();
  const { params } = useUrlParams();
  const timeline = useQuery(trpc.records.connection.queryOptions({ connectionId }));
  return (
    <QueryView query={timeline} loadingHeight={400}>
      {(t) => <ConnectionDetail timeline={t} linkQuery={carriedQuery(params)} />}
    </QueryView>
  );
}

interface LaidOutTask {
  stored: StoredRecord;
  row: GanttRow;
  endUs: number;
  gapBeforeUs: number | null;
}

/** Tasks on one axis starting at the first task's T0; the idle gap before each task is kept. */
function layOut(tasks: StoredRecord[]): LaidOutTask[] {
  const originUs = tasks[0]?.startUs ?? 0;
  let previousEndUs: number | null = null;
  return tasks.map((stored) => {
    const offsetUs = stored.startUs - originUs;
    const phases = taskTimeline(parseLogLine(stored.line));
    const row: GanttRow = {
      label: `#${stored.taskNumber} ${stored.kind}${stored.extensions ? `.${stored.extensions}` : ''}`,
      offsetUs,
      uploadUs: phases?.uploadUs ?? 0,
      processUs: phases?.processUs ?? 0,
      downloadUs: phases?.downloadUs ?? 0,
      otherUs: phases?.unfinishedUs ?? 0,
    };
    const endUs = offsetUs + (phases?.endUs ?? 0);
    const gapBeforeUs = previousEndUs === null ? null : Math.max(0, offsetUs - previousEndUs);
    previousEndUs = endUs;
    return { stored, row, endUs, gapBeforeUs };
  });
}

function ConnectionDetail({
  timeline,
  linkQuery,
}: {
  timeline: ConnectionTimeline;
  linkQuery: string;
}) {
  const tasks = timeline.records.filter((r) => r.kind !== 'E');
  const first = timeline.records[0] ?? timeline.closing;
  if (!first) {
    return (
      <Teach title={`Connection #${timeline.connectionId} has no records`}>
        <p>Only connections that carried at least one request are recorded.</p>
      </Teach>
    );
  }
  const laidOut = layOut(tasks);
  const axisEndUs = Math.max(1, ...laidOut.map((t) => t.endUs));
  const lastTask = tasks[tasks.length - 1];
  const meaning = closeMeaning(
    lastTask ? parseLogLine(lastTask.line) : undefined,
    timeline.closing ? parseLogLine(timeline.closing.line) : null,
    timeline.closing?.close,
  );
  const closeLabel = timeline.closing ? 'close (E)' : 'no close yet';
  return (
    <>
      <PageHeader
        title={`Connection #${timeline.connectionId} · ${formatEndpoint({ ip: first.peerAddr, port: first.peerPort })} → ${formatEndpoint({ ip: first.localAddr, port: first.localPort })}`}
        sub={
          <>
            {tasks.length} task record{tasks.length === 1 ? '' : 's'}, first at{' '}
            <span className="mono">{formatTimestampMs(first.startUs / 1000)}</span>, spanning{' '}
            {formatUs(axisEndUs)}
          </>
        }
      >
        <Link
          className="button"
          href={`/tasks${linkQuery}${linkQuery ? '&' : '?'}${first.kind === 'P' ? 'peerPort' : 'localPort'}=${first.kind === 'P' ? first.peerPort : first.localPort}`}
        >
          ← Tasks on this port
        </Link>
      </PageHeader>
      <section
        className={`panel`}
        aria-label="How the connection ended"
        data-testid="close-meaning"
        style={{ borderLeft: `4px solid var(--${meaning.tone})` }}
      >
        <h2 style={{ marginBottom: 4 }}>How it ended</h2>
        <p style={{ margin: 0 }}>{meaning.text}</p>
      </section>
      {laidOut.length > 0 && (
        <section className="panel" aria-label="Timeline">
          <div className="panel-head">
            <h2>Tasks in time</h2>
            <div className="legend">
              <span>
                <i className="sw-upload" />
                upload
              </span>
              <span>
                <i className="sw-process" />
                process
              </span>
              <span>
                <i className="sw-download" />
                download
              </span>
              <span className="muted">gaps = idle time between tasks</span>
            </div>
          </div>
          <PhaseGantt
            rows={laidOut.map((t) => t.row)}
            markers={[
              {
                atUs: axisEndUs,
                label: closeLabel,
                color: timeline.closing ? 'var(--text-2)' : 'var(--warn)',
              },
            ]}
            axisEndUs={axisEndUs}
            rowHeight={Math.max(18, Math.min(30, 360 / laidOut.length))}
            minBarPx={2}
            ariaLabel="Connection timeline"
          />
          <p className="note">
            The exact close time is not recorded; the close mark sits at the end of the last task.
          </p>
        </section>
      )}
      <div className="table-wrap">
        <table className="data" data-testid="connection-records">
          <thead>
            <tr>
              <th>Type</th>
              <th className="r">Task</th>
              <th>Start (T0)</th>
              <th className="r">Idle before</th>
              <th className="r">Total</th>
              <th className="r">Upload</th>
              <th className="r">Process</th>
              <th className="r">Download</th>
              <th className="r">Sent</th>
              <th className="r">Received</th>
              <th className="r">Retr.</th>
            </tr>
          </thead>
          <tbody>
            {laidOut.map(({ stored: r, gapBeforeUs }) => (
              <tr key={r.id}>
                <td>
                  <RecordKindBadge kind={r.kind} extensions={r.extensions} />
                </td>
                <td className="r">
                  <Link prefetch={false} href={`/tasks/${r.id}${linkQuery}`}>
                    #{r.taskNumber}
                  </Link>
                </td>
                <td className="mono">{formatTimestampMs(r.startUs / 1000)}</td>
                <td className="r">{gapBeforeUs === null ? '—' : formatUs(gapBeforeUs)}</td>
                <td className="r">{formatUs(r.totalUs)}</td>
                <td className="r">{formatUs(r.uploadUs)}</td>
                <td className="r">{formatUs(r.processUs)}</td>
                <td className="r">{formatUs(r.downloadUs)}</td>
                <td className="r">{formatBytes(r.bytesSent)}</td>
                <td className="r">{formatBytes(r.bytesReceived)}</td>
                <td className="r">{r.retransmits ?? '—'}</td>
              </tr>
            ))}
            {timeline.closing && (
              <tr>
                <td>
                  <RecordKindBadge kind="E" />
                </td>
                <td className="r">#{timeline.closing.taskNumber}</td>
                <td className="mono" colSpan={6}>
                  connection closed · last task started{' '}
                  {formatTimestampMs(timeline.closing.startUs / 1000)}
                </td>
                <td className="r">{formatBytes(timeline.closing.bytesSent)}</td>
                <td className="r">{formatBytes(timeline.closing.bytesReceived)}</td>
                <td className="r">{timeline.closing.retransmits ?? '—'}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
