import os from 'node:os';

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

/** Prints runs side by side: a heading with the load average, then one line per row label. */
export function printSideBySide<R>(
  heading: string,
  runs: [name: string, result: R][],
  rows: [label: string, cell: (r: R) => string][],
  cellWidth: number,
): void {
  const labelWidth = Math.max(...rows.map(([label]) => label.length)) + 2;
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(`\n${heading}; load average ${load}`);
  console.log(''.padEnd(labelWidth) + runs.map(([name]) => name.padEnd(cellWidth)).join(''));
  for (const [label, cell] of rows)
    console.log(label.padEnd(labelWidth) + runs.map(([, r]) => cell(r).padEnd(cellWidth)).join(''));
}
