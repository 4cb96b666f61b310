'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import {
  formatEndpoint,
  parseLogLine,
  taskPhases,
  type StoredRecord,
  type TcprtRecord,
} from '@tcprt/schema';
import { PhaseGantt, type GanttRow } from '@/components/charts/phase-gantt';
import { KeyValues } from '@/components/kv';
import { PageHeader } from '@/components/page-header';
import { QueryView } from '@/components/query-view';
import { RecordKindBadge, kindMeaning } from '@/components/record-kind';
import { carriedQuery } from '@/lib/carried-query';
import { describeExtensions } from '@/lib/extensions';
import { formatBytes, formatTimestampMs, formatUs } from '@/lib/format';
import { recordFieldRows } from '@/lib/record-field-rows';
import { taskTimeline, type TaskTimeline } from '@/lib/task-timeline';
import { taskVerdict } from '@/lib/task-verdict';
import { useTRPC } from '@/lib/trpc';
import { useUrlParams } from '@/lib/use-url-params';
import { RequestPanel } from './request-panel';

export function TaskView({ id }: { id: number }) {
  const trpc = useTRPC();
  const { params } = useUrlParams();
  const record = useQuery(trpc.records.get.queryOptions({ id }));
  return (
    <QueryView query={record} loadingHeight={400}>
      {(r) => <TaskDetail stored={r} linkQuery={carriedQuery(params)} />}
    </QueryView>
  );
}

function waterfallRows(p: TaskTimeline): GanttRow[] {
  return [
    {
      label: 'Whole task',
      offsetUs: 0,
      uploadUs: p.uploadUs,
      processUs: p.processUs,
      downloadUs: p.downloadUs,
      otherUs: p.unfinishedUs,
    },
    { label: p.phaseNames.upload, offsetUs: 0, uploadUs: p.uploadUs, processUs: 0, downloadUs: 0 },
    {
      label: p.phaseNames.process,
      offsetUs: p.uploadUs,
      uploadUs: 0,
      processUs: p.processUs,
      downloadUs: 0,
    },
    {
      label: p.phaseNames.download,
      offsetUs: p.uploadUs + p.processUs,
      uploadUs: 0,
      processUs: 0,
      downloadUs: p.downloadUs,
      otherUs: p.unfinishedUs,
    },
  ];
}

/** R.F: when each first-frame step was acknowledged, on the same axis as T0–T3. */
function firstFrameMarkers(r: TcprtRecord): { atUs: number; label: string; color: string }[] {
  if (r.type !== 'R' || !r.firstFrame) return [];
  return r.firstFrame.map((step, i) => ({
    atUs: step.us,
    label: `F${i + 1}`,
    color: 'var(--phase-download)',
  }));
}

/** The Fields panel: the record's numbered fields (record-field-rows.ts), an R's derived download and its V7 fields. */
function recordFields(r: TcprtRecord): [string, string | undefined][] {
  const rows: [string, string | undefined][] = [];
  for (const { key, label, value } of recordFieldRows(r)) {
    rows.push([label, value]);
    if (r.type === 'R' && key === 'processUs')
      rows.push(['Download (T3−T2)', formatUs(taskPhases(r).downloadUs)]);
  }
  if (r.type === 'R') {
    rows.push(
      ['Smoothed RTT at end (V7)', r.srttUs === undefined ? undefined : formatUs(r.srttUs)],
      ['Congestion window at end (V7)', r.cwnd === undefined ? undefined : `${r.cwnd} segments`],
      ['TLS handshake (V7)', r.handshakeUs === undefined ? undefined : formatUs(r.handshakeUs)],
    );
  }
  return rows;
}

function TaskDetail({ stored, linkQuery }: { stored: StoredRecord; linkQuery: string }) {
  const trpc = useTRPC();
  const record = parseLogLine(stored.line);
  const phases = taskTimeline(record);
  const peerMode = record.type === 'P';
  // A task the close cut short (N, W): how the connection ended decides whom the verdict names.
  const cutShort = stored.kind === 'N' || stored.kind === 'W';
  const connection = useQuery({
    ...trpc.records.connection.queryOptions({ connectionId: stored.connectionId }),
    enabled: cutShort,
  });
  const close = cutShort ? connection.data?.closing?.close : null;
  return (
    <>
      <PageHeader
        title={`Task ${stored.taskNumber} · ${formatEndpoint(record.peer)} → ${formatEndpoint(record.local)}`}
        sub={
          <>
            <RecordKindBadge kind={stored.kind} extensions={stored.extensions} />{' '}
            {kindMeaning(stored.kind)} · started (T0){' '}
            <span className="mono">{formatTimestampMs(stored.startUs / 1000)}</span> · record #
            {stored.id}
          </>
        }
      >
        <div className="toolbar">
          <Link
            prefetch={false}
            className="button"
            href={`/connections/${stored.connectionId}${linkQuery}`}
          >
            Connection #{stored.connectionId} timeline →
          </Link>
        </div>
      </PageHeader>
      {stored.http && (
        <RequestPanel http={stored.http} localPort={stored.localPort} linkQuery={linkQuery} />
      )}
      {phases && (
        <section className="panel" aria-label="Waterfall">
          <div className="panel-head">
            <h2>Waterfall</h2>
            <div className="legend">
              <span>
                <i className="sw-upload" />
                {phases.phaseNames.upload}
              </span>
              <span>
                <i className="sw-process" />
                {phases.phaseNames.process}
              </span>
              <span>
                <i className="sw-download" />
                {phases.phaseNames.download}
              </span>
              {phases.unfinishedUs > 0 && (
                <span>
                  <i style={{ background: '#9aa3af' }} />
                  unfinished at close
                </span>
              )}
            </div>
          </div>
          <p style={{ margin: '0 0 8px', fontWeight: 600 }} data-testid="task-verdict">
            {taskVerdict(phases, peerMode, {
              close,
              download: stored.download,
              bytesSent: stored.bytesSent,
            })}
          </p>
          <PhaseGantt
            rows={waterfallRows(phases)}
            markers={[...phases.markers, ...firstFrameMarkers(record)]}
            axisEndUs={phases.endUs}
            ariaLabel="Task waterfall"
            rowHeight={34}
            minBarPx={2}
          />
          <div className="metric-row" style={{ marginTop: 8 }} data-testid="phase-durations">
            <div className="metric">
              <span className="label">{phases.phaseNames.upload}</span>
              <span className="value" data-phase="upload">
                {formatUs(phases.uploadUs)}
              </span>
            </div>
            <div className="metric">
              <span className="label">{phases.phaseNames.process}</span>
              <span className="value" data-phase="process" data-us={phases.processUs}>
                {formatUs(phases.processUs)}
              </span>
            </div>
            <div className="metric">
              <span className="label">{phases.phaseNames.download}</span>
              <span className="value" data-phase="download">
                {formatUs(phases.downloadUs + phases.unfinishedUs)}
              </span>
            </div>
            <div className="metric">
              <span className="label">Total</span>
              <span className="value" data-phase="total">
                {formatUs(phases.endUs)}
              </span>
            </div>
          </div>
        </section>
      )}
      <div className="grid-2">
        <section className="panel" aria-label="Record fields">
          <h2>Fields</h2>
          <KeyValues items={recordFields(record)} />
          {record.type === 'R' && record.firstFrame && record.firstFrame.length > 0 && (
            <div style={{ marginTop: 10 }}>
              <h3>First frame (R.F)</h3>
              <table className="data">
                <thead>
                  <tr>
                    <th className="r">Acked bytes</th>
                    <th className="r">Time from T0</th>
                  </tr>
                </thead>
                <tbody>
                  {record.firstFrame.map((s, i) => (
                    // Steps can repeat a value (ACKs are coarse): the position is the identity.
                    <tr key={i}>
                      <td className="r">{formatBytes(s.bytes)}</td>
                      <td className="r">{formatUs(s.us)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section className="panel" aria-label="Record">
          <h2>Record</h2>
          <KeyValues
            items={[
              ['Log version', stored.version],
              [
                'Mode',
                peerMode
                  ? 'peer (client side: the remote port matched a rule)'
                  : 'local (server side)',
              ],
              [
                'Extensions',
                stored.extensions ? describeExtensions(stored.extensions).join('; ') : undefined,
              ],
              ['Connection', `#${stored.connectionId}`],
            ]}
          />
          <h3 style={{ marginTop: 12 }}>Raw log line</h3>
          <pre
            className="mono"
            style={{
              whiteSpace: 'pre-wrap',
              wordBreak: 'break-all',
              background: 'var(--surface-2)',
              padding: 8,
              borderRadius: 4,
              margin: 0,
            }}
            data-testid="raw-line"
          >
            {stored.line}
          </pre>
          <p className="note">
            Records are written when the next request starts on the connection or when it closes, so
            this one may have been logged well after its task ended.
          </p>
        </section>
      </div>
    </>
  );
}
