/** A sortable table column's header: a button that sorts by it, marked ▼/▲ while it is the sort. */
export function SortHeader<S extends string>({
  sort,
  label,
  current,
  descending,
  onSort,
  align,
  title,
}: {
  sort: S;
  label: string;
  current: S;
  descending: boolean;
  onSort: (s: S) => void;
  align?: 'r';
  title?: string;
}) {
  const active = current === sort;
  return (
    <th className={align} aria-sort={active ? (descending ? 'descending' : 'ascending') : 'none'}>
      <button
        type="button"
        onClick={() => onSort(sort)}
        title={title ?? `Sort by ${label.toLowerCase()}`}
      >
        {label} {active ? (descending ? '▼' : '▲') : ''}
      </button>
    </th>
  );
}
