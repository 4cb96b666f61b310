'use client';

import { useDeferredValue, type ReactNode } from 'react';

/**
 * Renders its chart one deferred pass after the rest of the page: numbers and tables paint
 * first, the SVG follows without blocking them. The placeholder keeps the chart's height so
 * nothing moves when it arrives.
 */
export function DeferredChart({ height, children }: { height: number; children: ReactNode }) {
  const ready = useDeferredValue(true, false);
  return ready ? <>{children}</> : <div style={{ height }} aria-hidden />;
}
