'use client';

import type { LatencyDistribution } from '@tcprt/schema';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount, formatCountTick, formatUs, formatUsTick } from '@/lib/format';
import { ChartFrame } from './chart-frame';
import { AXIS_WIDTH } from './chart-geometry';

/** How many tasks of the window took how long: one bar per log-latency bin (four per power of two). */
export function LatencyHistogram({
  distribution,
  ariaLabel,
  height = 180,
}: {
  distribution: LatencyDistribution;
  ariaLabel: string;
  height?: number;
}) {
  const data = distribution.bins.map((b, i) => ({
    lowUs: b.lowUs,
    label: formatUsTick(b.lowUs),
    range: `${formatUs(b.lowUs)} – ${formatUs(b.highUs)}`,
    count: distribution.counts[i] ?? 0,
  }));
  return (
    <ChartFrame height={height} ariaLabel={ariaLabel}>
      {(width) => (
        <BarChart
          data={data}
          width={width}
          height={height}
          margin={{ top: 6, right: 12, bottom: 0, left: 0 }}
          barCategoryGap={1}
        >
          <CartesianGrid stroke="var(--grid)" vertical={false} />
          <XAxis
            dataKey="label"
            tick={{ fontSize: 11, fill: 'var(--axis-text)' }}
            tickLine={false}
            axisLine={{ stroke: 'var(--axis-line)' }}
            minTickGap={12}
          />
          <YAxis
            tickFormatter={formatCountTick}
            tick={{ fontSize: 11, fill: 'var(--axis-text)' }}
            tickLine={false}
            axisLine={false}
            width={AXIS_WIDTH}
            allowDecimals={false}
          />
          <Tooltip
            isAnimationActive={false}
            labelFormatter={(_, items) =>
              (items[0]?.payload as { range?: string } | undefined)?.range ?? ''
            }
            formatter={(v) => [formatCount(Number(v)), 'tasks']}
            contentStyle={{
              fontSize: 12,
              padding: '6px 8px',
              background: 'var(--surface)',
              borderColor: 'var(--border)',
            }}
          />
          <Bar dataKey="count" fill="var(--heat)" isAnimationActive={false} />
        </BarChart>
      )}
    </ChartFrame>
  );
}
