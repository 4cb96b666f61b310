'use client';

import type { ReactNode } from 'react';
import { DeferredChart } from './deferred-chart';
import { useContainerWidth } from './use-container-width';

/**
 * The box every chart of the console sits in: it keeps the chart's height before the chart
 * exists, measures the width the chart is drawn at, mounts the chart in its turn and names it
 * for screen readers (recharts draws an unlabelled SVG).
 */
export function ChartFrame({
  height,
  ariaLabel,
  children,
}: {
  height: number;
  ariaLabel: string;
  children: (widthPx: number) => ReactNode;
}) {
  const [box, width] = useContainerWidth<HTMLDivElement>();
  return (
    <div ref={box} style={{ minHeight: height }}>
      {width > 0 && (
        <DeferredChart height={height}>
          <div role="img" aria-label={ariaLabel}>
            {children(width)}
          </div>
        </DeferredChart>
      )}
    </div>
  );
}
