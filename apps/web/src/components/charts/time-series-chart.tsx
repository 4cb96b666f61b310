'use client';

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
}: Props<K>) {
  const span = toMs - fromMs;
  const nowMs = Date.now();
  const gaps = useCollectorGaps().filter((g) => g.startMs < toMs && (g.endMs ?? nowMs) > fromMs);
  return (
    <ChartFrame height={height} ariaLabel={ariaLabel}>
      {(width) => (
        <ComposedChart
          data={points}
          width={width}
          height={height}
          margin={{ top: 6, right: 12, bottom: 0, left: 0 }}
          barCategoryGap={1}
        >
          <CartesianGrid stroke="#e7e9ee" vertical={false} />
          <XAxis
            dataKey="tMs"
            type="number"
            scale="time"
            domain={[fromMs - bucketMs / 2, toMs]}
            allowDataOverflow
            tickFormatter={(v: number) => formatClockTick(v, span)}
            tick={{ fontSize: 11, fill: '#6b7280' }}
            tickLine={false}
            axisLine={{ stroke: '#c5cad3' }}
            minTickGap={28}
          />
          <YAxis
            tickFormatter={formatTick ?? formatValue}
            tick={{ fontSize: 11, fill: '#6b7280' }}
            tickLine={false}
            axisLine={false}
            width={58}
            allowDecimals={!integer}
          />
          <Tooltip
            isAnimationActive={false}
            labelFormatter={(v) => formatTimestampMs(Number(v)).slice(0, 19)}
            formatter={(v) => (typeof v === 'number' ? formatValue(v) : String(v))}
            contentStyle={{ fontSize: 12, padding: '6px 8px' }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} iconSize={10} itemSorter={null} />
          {gaps.map((g) => (
            <ReferenceArea
              key={g.startMs}
              x1={Math.max(g.startMs, fromMs)}
              x2={Math.min(g.endMs ?? nowMs, toMs)}
              fill="#d9534f"
              fillOpacity={0.15}
              ifOverflow="hidden"
              label={{ value: 'no collector', fontSize: 10, fill: '#a33', position: 'insideTop' }}
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
            const sparse = points.filter((p) => p[s.key] !== null).length < 30;
            return (
              <Line
                key={s.key}
                {...common}
                type="linear"
                stroke={s.color}
                strokeWidth={1.6}
                strokeDasharray={s.dashed ? '4 3' : undefined}
                dot={sparse ? { r: 2.5, fill: s.color } : false}
                connectNulls={false}
              />
            );
          })}
        </ComposedChart>
      )}
    </ChartFrame>
  );
}
