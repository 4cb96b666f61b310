import type { ReactNode } from 'react';

export function Loading({ label = 'Loading…', height = 120 }: { label?: string; height?: number }) {
  return (
    <div className="state" role="status" aria-live="polite" style={{ minHeight: height }}>
      <span className="muted">{label}</span>
    </div>
  );
}

/** Errors from the agent or the proxy, with the message the API gave (never a silent blank). */
export function ErrorState({
  error,
  retry,
}: {
  error: { message: string } | null | undefined;
  retry?: () => void;
}) {
  return (
    <div className="state error" role="alert">
      <strong>Could not load this from the agent.</strong>
      <div className="small" style={{ marginTop: 4 }}>
        {error?.message ?? 'Unknown error'}
      </div>
      {retry && (
        <button type="button" onClick={retry} style={{ marginTop: 10 }}>
          Retry
        </button>
      )}
    </div>
  );
}

/** An empty state that says what to do next, not just "no data". */
export function Teach({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="state teach">
      <h3>{title}</h3>
      {children}
    </div>
  );
}
