/**
 * Table rows sorted by a numeric value, or by name when `value` is null. Rows without a value
 * sort last in either direction; ties fall back to the name order.
 */
export function sortRows<T>(
  rows: readonly T[],
  value: ((row: T) => number | null) | null,
  descending: boolean,
  byName: (a: T, b: T) => number,
): T[] {
  const sign = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    if (!value) return sign * byName(a, b);
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) return va === vb ? byName(a, b) : va === null ? 1 : -1;
    return sign * (va - vb) || byName(a, b);
  });
}
