'use client';

import { useEffect, useState, type ReactNode } from 'react';

// Charts mount one per animation frame, in the order they asked: each commits and paints on its
// own, so the first chart of a page shows after one chart's worth of work instead of after all
// of them, and numbers and tables around them paint before any chart.
const waiting: (() => void)[] = [];
let draining = false;

function drain() {
  const next = waiting.shift();
  if (!next) {
    draining = false;
    return;
  }
  next();
  requestAnimationFrame(drain);
}

function requestSlot(onReady: () => void): () => void {
  waiting.push(onReady);
  if (!draining) {
    draining = true;
    requestAnimationFrame(drain);
  }
  return () => {
    const i = waiting.indexOf(onReady);
    if (i >= 0) waiting.splice(i, 1);
  };
}

/** Renders its chart in its turn; the placeholder keeps the chart's height so nothing moves. */
export function DeferredChart({ height, children }: { height: number; children: ReactNode }) {
  const [ready, setReady] = useState(false);
  useEffect(() => requestSlot(() => setReady(true)), []);
  return ready ? <>{children}</> : <div style={{ height }} aria-hidden />;
}
