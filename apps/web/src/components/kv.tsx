import type { ReactNode } from 'react';

/** A definition list of label → value pairs; entries with an undefined value are left out. */
export function KeyValues({ items }: { items: [string, ReactNode | undefined][] }) {
  return (
    <dl className="kv">
      {items
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => (
          <div key={k} style={{ display: 'contents' }}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
    </dl>
  );
}
