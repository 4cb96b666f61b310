'use client';

import { Bar, BarChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { formatUs, formatUsTick } from '@/lib/format';
import { ChartFrame } from './chart-frame';

export interface GanttRow {
  label: string;
  /** Where the row starts on the shared axis, µs after the axis origin. */
  offsetUs: number;
  uploadUs: number;
  processUs: number;
  downloadUs: number;
  /** Grey part: time with no phase attributed (an unfinished task's elapsed time). */
  otherUs?: number;
}

export interface GanttMarker {
  atUs: number;
  label: string;
  color?: string;
}

const PHASES = [
  { key: 'uploadUs', label: 'upload', color: 'var(--phase-upload)' },
  { key: 'processUs', label: 'process', color: 'var(--phase-process)' },
  { key: 'downloadUs', label: 'download', color: 'var(--phase-download)' },
  { key: 'otherUs', label: 'unfinished', color: '#9aa3af' },
] as const;

function RowTooltip({
  active,
  payload,
}: {
  active?: boolean;
  payload?: ReadonlyArray<{ payload?: GanttRow }>;
}) {
  const row = payload?.[0]?.payload;
  if (!active || !row) return null;
  return (
    <div className="panel small" style={{ padding: '6px 8px' }}>
      <strong>{row.label}</strong>
      <div className="muted">starts at +{formatUs(row.offsetUs)}</div>
      {PHASES.map((p) => {
        const v = row[p.key];
        return v ? (
          <div key={p.key}>
            <i
              className="legend"
              style={{
                display: 'inline-block',
                width: 8,
                height: 8,
                background: p.color,
                marginRight: 5,
              }}
            />
            {p.label} {formatUs(v)}
          </div>
        ) : null;
      })}
    </div>
  );
}

/**
 * Horizontal bars on a shared µs axis: each row is an invisible offset followed by its
 * upload/process/download parts. Used for one task's waterfall and for a connection's tasks.
 */
/**
 * `minBarPx` keeps sub-pixel phases visible on long axes (a connection's minutes), at the cost of
 * nudging later segments by that many pixels; leave it 0 where markers must line up exactly.
 */
/** Markers closer than 2% of the axis share one label ("T0 T1"), so labels never print over each other. */
function mergeCloseMarkers(markers: GanttMarker[], axisEndUs: number): GanttMarker[] {
  const merged: GanttMarker[] = [];
  for (const m of [...markers].sort((a, b) => a.atUs - b.atUs)) {
    const last = merged[merged.length - 1];
    if (last && m.atUs - last.atUs < axisEndUs * 0.02)
      merged[merged.length - 1] = { ...last, label: `${last.label} ${m.label}` };
    else merged.push(m);
  }
  return merged;
}

export function PhaseGantt({
  rows,
  markers = [],
  axisEndUs,
  rowHeight = 30,
  minBarPx = 0,
  ariaLabel,
}: {
  rows: GanttRow[];
  markers?: GanttMarker[];
  axisEndUs: number;
  rowHeight?: number;
  minBarPx?: number;
  ariaLabel: string;
}) {
  const height = rows.length * rowHeight + 46;
  return (
    <ChartFrame height={height} ariaLabel={ariaLabel}>
      {(width) => (
        <BarChart
          layout="vertical"
          data={rows}
          width={width}
          height={height}
          margin={{ top: 18, right: 56, bottom: 0, left: 0 }}
          barCategoryGap={6}
        >
          <CartesianGrid stroke="var(--grid)" horizontal={false} />
          <XAxis
            type="number"
            domain={[0, Math.max(axisEndUs, 1)]}
            tickFormatter={(v: number) => `+${formatUsTick(v)}`}
            tick={{ fontSize: 11, fill: 'var(--axis-text)' }}
            allowDataOverflow
          />
          <YAxis
            type="category"
            dataKey="label"
            width={110}
            tick={{ fontSize: 12, fill: 'var(--text)' }}
            tickLine={false}
            axisLine={false}
            interval={0}
          />
          <Tooltip
            content={<RowTooltip />}
            isAnimationActive={false}
            cursor={{ fill: 'rgba(31,95,191,0.06)' }}
          />
          <Bar
            dataKey="offsetUs"
            stackId="t"
            fill="transparent"
            isAnimationActive={false}
            legendType="none"
          />
          {PHASES.map((p) => (
            <Bar
              key={p.key}
              dataKey={p.key}
              name={p.label}
              stackId="t"
              fill={p.color}
              isAnimationActive={false}
              minPointSize={(_v, index) => ((rows[index]?.[p.key] ?? 0) > 0 ? minBarPx : 0)}
            />
          ))}
          {mergeCloseMarkers(markers, axisEndUs).map((m) => (
            <ReferenceLine
              key={m.label}
              x={m.atUs}
              stroke={m.color ?? '#4b5563'}
              strokeDasharray="3 3"
              label={{
                value: m.label,
                position: 'top',
                fontSize: 11,
                fill: m.color ?? '#4b5563',
              }}
            />
          ))}
        </BarChart>
      )}
    </ChartFrame>
  );
}
