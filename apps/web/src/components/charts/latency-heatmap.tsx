'use client';

import type { StatsHeatmap } from '@tcprt/schema';
import { useState, type MouseEvent } from 'react';
import {
  formatClockTick,
  formatCount,
  formatTimestampMs,
  formatUs,
  formatUsTick,
} from '@/lib/format';
import { ChartFrame } from './chart-frame';
import { AXIS_WIDTH, bucketAtX, RIGHT_MARGIN, xOfTime } from './chart-geometry';

interface Props {
  heatmap: StatsHeatmap;
  fromMs: number;
  toMs: number;
  height?: number;
  ariaLabel: string;
  onZoom?: (fromMs: number, toMs: number) => void;
  /** A cell clicked: its bucket start and its latency bin's lower bound. */
  onCellClick?: (startMs: number, lowUs: number) => void;
}

// The plot box of every time chart (chart-geometry.ts), so a heatmap lines up with the page's
// other charts.
const TOP = 6;
const X_AXIS_HEIGHT = 22;

/**
 * Time × latency: one column per time bucket, one row per log-latency bin (four per power of
 * two), darker for more tasks (log of the count). Two latency modes show as two bands.
 */
export function LatencyHeatmap({
  heatmap,
  fromMs,
  toMs,
  height = 220,
  ariaLabel,
  onZoom,
  onCellClick,
}: Props) {
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const bucketMs = heatmap.bucketSec * 1000;
  const axis = { fromMs, toMs, bucketMs };
  const rows = heatmap.bins.length;
  let maxCount = 0;
  for (const [, , c] of heatmap.cells) maxCount = Math.max(maxCount, c);
  return (
    <ChartFrame height={height} ariaLabel={ariaLabel}>
      {(width) => {
        const plotW = Math.max(1, width - AXIS_WIDTH - RIGHT_MARGIN);
        const plotH = height - TOP - X_AXIS_HEIGHT;
        const x = (t: number) => xOfTime(axis, width, t);
        const rowH = rows ? plotH / rows : plotH;
        // Row 0 (fastest) at the bottom.
        const y = (bin: number) => TOP + plotH - (bin + 1) * rowH;
        const bucketAt = (e: MouseEvent<SVGSVGElement>): number | null => {
          const box = e.currentTarget.getBoundingClientRect();
          return bucketAtX(axis, width, e.clientX - box.left, heatmap.bucketStartsMs);
        };
        const labelEvery = Math.max(1, Math.ceil(14 / rowH));
        const ticks = xTicks(fromMs, toMs);
        return (
          <svg
            width={width}
            height={height}
            style={{ cursor: onZoom ? 'crosshair' : undefined, userSelect: 'none' }}
            onMouseDown={(e) => {
              const t = bucketAt(e);
              if (t !== null) setDrag({ from: t, to: t });
            }}
            onMouseMove={(e) => {
              const t = bucketAt(e);
              if (drag && t !== null && t !== drag.to) setDrag({ ...drag, to: t });
            }}
            onMouseUp={() => {
              if (drag && drag.from !== drag.to)
                onZoom?.(Math.min(drag.from, drag.to), Math.max(drag.from, drag.to) + bucketMs);
              setDrag(null);
            }}
            onMouseLeave={() => setDrag(null)}
          >
            {heatmap.bins.map((b, i) =>
              i % labelEvery === 0 ? (
                <text
                  key={`y${i}`}
                  x={AXIS_WIDTH - 6}
                  y={y(i) + rowH / 2}
                  textAnchor="end"
                  dominantBaseline="middle"
                  fontSize={11}
                  fill="var(--axis-text)"
                >
                  {formatUsTick(b.lowUs)}
                </text>
              ) : null,
            )}
            {ticks.map((t) => (
              <text
                key={`x${t}`}
                x={x(t)}
                y={height - 6}
                textAnchor="middle"
                fontSize={11}
                fill="var(--axis-text)"
              >
                {formatClockTick(t, toMs - fromMs)}
              </text>
            ))}
            <line
              x1={AXIS_WIDTH}
              x2={AXIS_WIDTH + plotW}
              y1={TOP + plotH}
              y2={TOP + plotH}
              stroke="var(--axis-line)"
            />
            {heatmap.cells.map(([bucket, bin, count]) => {
              const startMs = heatmap.bucketStartsMs[bucket]!;
              const left = Math.max(AXIS_WIDTH, x(startMs - bucketMs / 2));
              const right = Math.min(AXIS_WIDTH + plotW, x(startMs + bucketMs / 2));
              const strength = Math.log1p(count) / Math.log1p(maxCount);
              const b = heatmap.bins[bin]!;
              return (
                <rect
                  key={`${bucket}-${bin}`}
                  data-testid="heatmap-cell"
                  data-bin-low-us={b.lowUs}
                  data-start-ms={startMs}
                  data-count={count}
                  x={left}
                  y={y(bin)}
                  width={Math.max(1, right - left - 0.5)}
                  height={Math.max(1, rowH - 0.5)}
                  fill="var(--heat)"
                  fillOpacity={0.12 + 0.88 * strength}
                  style={{ cursor: onCellClick ? 'pointer' : undefined }}
                  onClick={() => onCellClick?.(startMs, b.lowUs)}
                >
                  <title>
                    {`${formatTimestampMs(startMs).slice(0, 19)} · ${formatUs(b.lowUs)} – ${formatUs(b.highUs)}: ${formatCount(count)} task${count === 1 ? '' : 's'}`}
                  </title>
                </rect>
              );
            })}
            {drag && drag.from !== drag.to && (
              <rect
                x={x(Math.min(drag.from, drag.to) - bucketMs / 2)}
                y={TOP}
                width={Math.abs(x(drag.to) - x(drag.from)) + x(bucketMs) - x(0)}
                height={plotH}
                fill="var(--accent)"
                fillOpacity={0.15}
              />
            )}
          </svg>
        );
      }}
    </ChartFrame>
  );
}

/** About six clock ticks on round minutes (or 10 s steps in short ranges). */
function xTicks(fromMs: number, toMs: number): number[] {
  const steps = [
    10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000, 21_600_000, 86_400_000,
  ];
  const step = steps.find((s) => (toMs - fromMs) / s <= 7) ?? 86_400_000;
  const out: number[] = [];
  for (let t = Math.ceil(fromMs / step) * step; t <= toMs; t += step) out.push(t);
  return out;
}
