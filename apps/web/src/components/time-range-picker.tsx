'use client';

import { useId, useState } from 'react';
import { RANGE_PRESETS } from '@/lib/time-range';
import { REFRESH_CHOICES, type RefreshKey, type TimeRangeState } from '@/lib/use-time-range';

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `datetime-local` inputs speak local time without a zone. */
function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}T${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

export function TimeRangePicker({ state }: { state: TimeRangeState }) {
  const { spec, range, refresh, setSpec, setRefresh, refreshNow } = state;
  const [customOpen, setCustomOpen] = useState(false);
  const [from, setFrom] = useState(() => toLocalInput(range.fromMs));
  const [to, setTo] = useState(() => toLocalInput(range.toMs));
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  function openCustom() {
    setFrom(toLocalInput(range.fromMs));
    setTo(toLocalInput(range.toMs));
    setError(null);
    setCustomOpen((open) => !open);
  }

  function applyCustom() {
    const fromMs = new Date(from).getTime();
    const toMs = new Date(to).getTime();
    if (!Number.isFinite(fromMs) || !Number.isFinite(toMs))
      return setError('Enter both start and end.');
    if (fromMs >= toMs) return setError('The start must be before the end.');
    setError(null);
    setCustomOpen(false);
    setSpec({ kind: 'absolute', fromMs, toMs });
  }

  return (
    <div className="toolbar" role="group" aria-label="Time range">
      <div className="segmented">
        {RANGE_PRESETS.map((p) => (
          <button
            key={p.key}
            type="button"
            title={p.label}
            aria-pressed={spec.kind === 'relative' && spec.preset === p.key}
            onClick={() => {
              setCustomOpen(false);
              setSpec({ kind: 'relative', preset: p.key });
            }}
          >
            {p.key}
          </button>
        ))}
        <button
          type="button"
          aria-pressed={spec.kind === 'absolute'}
          aria-expanded={customOpen}
          onClick={openCustom}
        >
          Custom
        </button>
      </div>
      {customOpen && (
        <div className="toolbar">
          <label className="field" htmlFor={`${id}-from`}>
            From
            <input
              id={`${id}-from`}
              type="datetime-local"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
            />
          </label>
          <label className="field" htmlFor={`${id}-to`}>
            To
            <input
              id={`${id}-to`}
              type="datetime-local"
              value={to}
              onChange={(e) => setTo(e.target.value)}
            />
          </label>
          <button
            type="button"
            className="primary"
            onClick={applyCustom}
            style={{ alignSelf: 'flex-end' }}
          >
            Apply
          </button>
          {error && (
            <span className="field-error" role="alert">
              {error}
            </span>
          )}
        </div>
      )}
      <label className="toolbar small muted" htmlFor={`${id}-refresh`}>
        Auto-refresh
        <select
          id={`${id}-refresh`}
          value={refresh}
          onChange={(e) => setRefresh(e.target.value as RefreshKey)}
          disabled={spec.kind === 'absolute'}
        >
          {REFRESH_CHOICES.map((c) => (
            <option key={c.key} value={c.key}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={refreshNow} aria-label="Refresh now" title="Refresh now">
        ↻
      </button>
    </div>
  );
}
