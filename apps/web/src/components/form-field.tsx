'use client';

import { useId, type ReactElement, type ReactNode } from 'react';

/**
 * A labelled control with its error right under it. The control is rendered by `children`
 * with the id and aria attributes it needs, so screen readers announce the error with it.
 */
export function FormField({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: ReactNode;
  error?: string;
  children: (a: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactElement;
}) {
  const id = useId();
  return (
    <label className="field" htmlFor={id}>
      <span>
        {label} {hint && <span className="hint">{hint}</span>}
      </span>
      {children({
        id,
        ...(error ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-err` } : {}),
      })}
      {error && (
        <span id={`${id}-err`} className="field-error" role="alert">
          {error}
        </span>
      )}
    </label>
  );
}
