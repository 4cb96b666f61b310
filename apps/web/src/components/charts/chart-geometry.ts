/**
 * The plot box every time chart of the console shares, so a page's charts line up: a y axis of
 * AXIS_WIDTH px on the left, RIGHT_MARGIN px on the right, and an x domain that starts half a
 * bucket before the range (points sit in the middle of their bucket).
 */
export const AXIS_WIDTH = 58;
export const RIGHT_MARGIN = 12;

export interface TimeAxis {
  fromMs: number;
  toMs: number;
  bucketMs: number;
}

export function domainStart(axis: TimeAxis): number {
  return axis.fromMs - axis.bucketMs / 2;
}

/** x in px (from the chart's left edge) of a time. */
export function xOfTime(axis: TimeAxis, widthPx: number, tMs: number): number {
  const plot = Math.max(1, widthPx - AXIS_WIDTH - RIGHT_MARGIN);
  const from = domainStart(axis);
  return AXIS_WIDTH + ((tMs - from) / (axis.toMs - from)) * plot;
}

/** The start of the bucket (one of `starts`, evenly spaced) nearest to x px, or null off the plot. */
export function bucketAtX(
  axis: TimeAxis,
  widthPx: number,
  xPx: number,
  starts: readonly number[],
): number | null {
  const plot = Math.max(1, widthPx - AXIS_WIDTH - RIGHT_MARGIN);
  if (xPx < AXIS_WIDTH || xPx > AXIS_WIDTH + plot || starts.length === 0) return null;
  const from = domainStart(axis);
  const t = from + ((xPx - AXIS_WIDTH) / plot) * (axis.toMs - from);
  const index = Math.round((t - starts[0]!) / axis.bucketMs);
  return starts[Math.min(starts.length - 1, Math.max(0, index))] ?? null;
}
