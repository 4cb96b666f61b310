'use client';

import { useRef, useState, type MouseEvent } from 'react';
import {
  Area,
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceArea,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatClockTick, formatTimestampMs } from '@/lib/format';
import { useCollectorGaps } from '@/lib/use-collector-gaps';
import { AXIS_WIDTH, bucketAtX, RIGHT_MARGIN } from './chart-geometry';
import { ChartFrame } from './chart-frame';

export interface SeriesSpec<K extends string> {
  key: K;
  label: string;
  color: string;
  kind: 'line' | 'area' | 'bar';
  /** Series with the same stack id are drawn on top of each other. */
  stack?: string;
  dashed?: boolean;
}

export type TimePoint<K extends string> = { tMs: number } & Record<K, number | null>;

interface Props<K extends string> {
  points: TimePoint<K>[];
  series: SeriesSpec<K>[];
  fromMs: number;
  toMs: number;
  bucketMs: number;
  formatValue: (v: number) => string;
  formatTick?: (v: number) => string;
  height?: number;
  /** Counts: no fractional ticks. */
  integer?: boolean;
  ariaLabel: string;
  /** Charts of one page with the same id share the hover (recharts syncs their tooltips by time). */
  syncId?: string;
  /** Log y axis: µs medians stay readable next to a 300 ms p99. Values ≤ 0 are left out. */
  logScale?: boolean;
  /** Drag across the chart: the buckets dragged over, [start of the first, end of the last). */
  onZoom?: (fromMs: number, toMs: number) => void;
  /** Click on a bucket (no drag): its start. */
  onBucketClick?: (startMs: number) => void;
}

/**
 * Every time-series chart of the console: fixed height, full width, no animation (screenshots
 * and auto-refresh must not flicker), x axis pinned to the selected range so empty periods show.
 */
export function TimeSeriesChart<K extends string>({
  points,
  series,
  fromMs,
  toMs,
  bucketMs,
  formatValue,
  formatTick,
  height = 200,
  integer = false,
  ariaLabel,
  syncId,
  logScale = false,
  onZoom,
  onBucketClick,
}: Props<K>) {
  const span = toMs - fromMs;
  // Pointer events are read on the chart's own box, with the plot geometry every chart shares
  // (chart-geometry.ts): the bucket under the pointer does not depend on recharts' tooltip state.
  const [drag, setDrag] = useState<{ fromMs: number; toMs: number } | null>(null);
  const dragRef = useRef<{ fromMs: number; toMs: number } | null>(null);
  const moveDrag = (next: { fromMs: number; toMs: number } | null) => {
    dragRef.current = next;
    setDrag(next);
  };
  const starts = points.map((p) => p.tMs);
  const bucketUnder = (e: MouseEvent<HTMLDivElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    return bucketAtX({ fromMs, toMs, bucketMs }, box.width, e.clientX - box.left, starts);
  };
  const data = logScale
    ? points.map((p) => {
        const copy: Record<string, number | null> = { ...p };
        for (const s of series) if ((p[s.key] ?? 0) <= 0) copy[s.key] = null;
        return copy as TimePoint<K>;
      })
    : points;
  const interactive = Boolean(onZoom || onBucketClick);
  const finishDrag = () => {
    const done = dragRef.current;
    if (!done) return;
    moveDrag(null);
    if (done.toMs !== done.fromMs)
      onZoom?.(Math.min(done.fromMs, done.toMs), Math.max(done.fromMs, done.toMs) + bucketMs);
    else onBucketClick?.(done.fromMs);
  };
  const nowMs = Date.now();
  const gaps = useCollectorGaps().filter((g) => g.startMs < toMs && (g.endMs ?? nowMs) > fromMs);
  return (
    <ChartFrame height={height} ariaLabel={ariaLabel}>
      {(width) => (
        <div
          style={interactive ? { cursor: 'crosshair', userSelect: 'none' } : undefined}
          onMouseDown={(e) => {
            const t = interactive ? bucketUnder(e) : null;
            if (t !== null) moveDrag({ fromMs: t, toMs: t });
          }}
          onMouseMove={(e) => {
            const current = dragRef.current;
            const t = current ? bucketUnder(e) : null;
            if (current && t !== null && t !== current.toMs) moveDrag({ ...current, toMs: t });
          }}
          onMouseUp={finishDrag}
          onMouseLeave={() => moveDrag(null)}
        >
          <ComposedChart
            data={data}
            width={width}
            height={height}
            margin={{ top: 6, right: RIGHT_MARGIN, bottom: 0, left: 0 }}
            barCategoryGap={1}
            syncId={syncId}
            syncMethod="value"
          >
            <CartesianGrid stroke="var(--grid)" vertical={false} />
            <XAxis
              dataKey="tMs"
              type="number"
              scale="time"
              domain={[fromMs - bucketMs / 2, toMs]}
              allowDataOverflow
              tickFormatter={(v: number) => formatClockTick(v, span)}
              tick={{ fontSize: 11, fill: 'var(--axis-text)' }}
              tickLine={false}
              axisLine={{ stroke: 'var(--axis-line)' }}
              minTickGap={28}
            />
            <YAxis
              scale={logScale ? 'log' : 'auto'}
              domain={logScale ? ['auto', 'auto'] : [0, 'auto']}
              allowDataOverflow={logScale}
              tickFormatter={formatTick ?? formatValue}
              tick={{ fontSize: 11, fill: 'var(--axis-text)' }}
              tickLine={false}
              axisLine={false}
              width={AXIS_WIDTH}
              allowDecimals={!integer}
            />
            <Tooltip
              isAnimationActive={false}
              labelFormatter={(v) => formatTimestampMs(Number(v)).slice(0, 19)}
              formatter={(v) => (typeof v === 'number' ? formatValue(v) : String(v))}
              contentStyle={{
                fontSize: 12,
                padding: '6px 8px',
                background: 'var(--surface)',
                borderColor: 'var(--border)',
              }}
            />
            {drag && drag.toMs !== drag.fromMs && (
              <ReferenceArea
                x1={Math.min(drag.fromMs, drag.toMs)}
                x2={Math.max(drag.fromMs, drag.toMs) + bucketMs}
                fill="var(--accent)"
                fillOpacity={0.15}
                ifOverflow="extendDomain"
              />
            )}
            <Legend wrapperStyle={{ fontSize: 12 }} iconSize={10} itemSorter={null} />
            {gaps.map((g) => (
              <ReferenceArea
                key={g.startMs}
                x1={Math.max(g.startMs, fromMs)}
                x2={Math.min(g.endMs ?? nowMs, toMs)}
                fill="var(--bad)"
                fillOpacity={0.15}
                ifOverflow="hidden"
                label={{
                  value: 'no collector',
                  fontSize: 10,
                  fill: 'var(--bad)',
                  position: 'insideTop',
                }}
              />
            ))}
            {series.map((s) => {
              const common = {
                dataKey: s.key,
                name: s.label,
                isAnimationActive: false,
                stackId: s.stack,
              };
              if (s.kind === 'area')
                return (
                  <Area
                    key={s.key}
                    {...common}
                    type="stepAfter"
                    stroke={s.color}
                    fill={s.color}
                    fillOpacity={0.75}
                    strokeWidth={0}
                    connectNulls={false}
                  />
                );
              if (s.kind === 'bar')
                return <Bar key={s.key} {...common} fill={s.color} maxBarSize={24} />;
              // Sparse data: dots, or isolated buckets between gaps would not show at all.
              const sparse = data.filter((p) => p[s.key] !== null).length < 30;
              return (
                <Line
                  key={s.key}
                  {...common}
                  type="linear"
                  stroke={s.color}
                  strokeWidth={1.6}
                  strokeDasharray={s.dashed ? '4 3' : undefined}
                  dot={sparse ? { r: 2.5, fill: s.color } : false}
                  activeDot={interactive ? { r: 4, cursor: 'pointer' } : undefined}
                  connectNulls={false}
                />
              );
            })}
          </ComposedChart>
        </div>
      )}
    </ChartFrame>
  );
}
