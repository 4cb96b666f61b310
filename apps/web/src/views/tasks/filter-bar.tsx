'use client';

import { useEffect, useId, useState, type FormEvent } from 'react';
import {
  ALL_KINDS,
  EXTENSIONS,
  METHODS,
  MIN_TIME_FIELDS,
  validateTaskFilters,
  type FieldErrors,
  type TaskFilters,
} from './task-filters';
import { kindMeaning } from '@/components/record-kind';
import { describeExtensions } from '@/lib/extensions';

function TextField({
  label,
  value,
  error,
  placeholder,
  width,
  onChange,
}: {
  label: string;
  value: string;
  error: string | undefined;
  placeholder?: string;
  width: number;
  onChange: (v: string) => void;
}) {
  const id = useId();
  return (
    <label className="field" htmlFor={id}>
      {label}
      <input
        id={id}
        type="text"
        value={value}
        placeholder={placeholder}
        style={{ width }}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-err` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {error && (
        <span id={`${id}-err`} className="field-error">
          {error}
        </span>
      )}
    </label>
  );
}

/** The filter form: edits a draft, applies to the URL on submit (Enter or the button). */
export function FilterBar({
  filters,
  onApply,
}: {
  filters: TaskFilters;
  onApply: (f: TaskFilters) => void;
}) {
  const [draft, setDraft] = useState(filters);
  const [errors, setErrors] = useState<FieldErrors>({});
  const applied = JSON.stringify(filters);
  useEffect(() => setDraft(JSON.parse(applied) as TaskFilters), [applied]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const found = validateTaskFilters(draft);
    setErrors(found);
    if (Object.keys(found).length === 0) onApply(draft);
  }
  const set = (patch: Partial<TaskFilters>) => setDraft((d) => ({ ...d, ...patch }));

  return (
    <form
      className="panel toolbar"
      onSubmit={submit}
      aria-label="Task filters"
      style={{ alignItems: 'flex-start', gap: 12 }}
    >
      <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
        <legend className="field" style={{ padding: 0, marginBottom: 3 }}>
          Record types
        </legend>
        <div className="toolbar" style={{ gap: 4 }}>
          {ALL_KINDS.map((k) => (
            <label
              key={k}
              className="small"
              title={kindMeaning(k)}
              style={{ display: 'inline-flex', gap: 3, alignItems: 'center', marginRight: 4 }}
            >
              <input
                type="checkbox"
                checked={draft.kinds.includes(k)}
                onChange={(e) =>
                  set({
                    kinds: e.target.checked
                      ? [...draft.kinds, k]
                      : draft.kinds.filter((x) => x !== k),
                  })
                }
              />
              <span className={`badge t-${k}`}>{k}</span>
            </label>
          ))}
        </div>
        {errors.kinds && <span className="field-error">{errors.kinds}</span>}
      </fieldset>
      <label className="field">
        V7 extension
        <select
          value={draft.extension}
          onChange={(e) => set({ extension: EXTENSIONS.find((x) => x === e.target.value) ?? '' })}
        >
          <option value="">any record</option>
          {EXTENSIONS.map((x) => (
            <option key={x} value={x} title={describeExtensions(x)[0]}>
              R.{x}
            </option>
          ))}
        </select>
      </label>
      <TextField
        label="Local port"
        value={draft.localPort}
        error={errors.localPort}
        placeholder="any"
        width={80}
        onChange={(v) => set({ localPort: v })}
      />
      <TextField
        label="Peer port"
        value={draft.peerPort}
        error={errors.peerPort}
        placeholder="any"
        width={80}
        onChange={(v) => set({ peerPort: v })}
      />
      <TextField
        label="Peer address"
        value={draft.peerAddr}
        error={errors.peerAddr}
        placeholder="any"
        width={150}
        onChange={(v) => set({ peerAddr: v })}
      />
      <label className="field" title="Tasks of http-mode ports whose request had this method">
        Method
        <select
          value={draft.method}
          onChange={(e) => set({ method: METHODS.find((m) => m === e.target.value) ?? '' })}
        >
          <option value="">any</option>
          {METHODS.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
      </label>
      <TextField
        label="Route"
        value={draft.route}
        error={errors.route}
        placeholder="e.g. /users/{n}"
        width={150}
        onChange={(v) => set({ route: v })}
      />
      <TextField
        label="Status"
        value={draft.status}
        error={errors.status}
        placeholder="any"
        width={60}
        onChange={(v) => set({ status: v })}
      />
      {MIN_TIME_FIELDS.map((f) => (
        <TextField
          key={f.key}
          label={f.label}
          value={draft[f.key]}
          error={errors[f.key]}
          placeholder="e.g. 200ms"
          width={96}
          onChange={(v) => set({ [f.key]: v })}
        />
      ))}
      <div style={{ alignSelf: 'flex-end', display: 'flex', gap: 6 }}>
        <button type="submit" className="primary">
          Apply filters
        </button>
      </div>
    </form>
  );
}
