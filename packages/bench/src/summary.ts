export const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return Number.isInteger(middle)
    ? (sorted[middle - 1]! + sorted[middle]!) / 2
    : sorted[Math.floor(middle)]!;
}

/** Whole number with thousands separators. */
export const formatCount = (n: number) => Math.round(n).toLocaleString('en-US');

export const formatRange = (values: number[]) =>
  `${formatCount(Math.min(...values))}–${formatCount(Math.max(...values))}`;
