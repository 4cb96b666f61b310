'use client';

import { useId, useState } from 'react';
import { fromLocalInput, RANGE_PRESETS, toLocalInput } from '@/lib/time-range';
import { REFRESH_CHOICES, type RefreshKey, type TimeRangeState } from '@/lib/use-time-range';

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
    const fromMs = fromLocalInput(from);
    const toMs = fromLocalInput(to);
    if (!Number.isFinite(fromMs) || !Number.isFinite(toMs))
      return setError('Enter both start and end: a date and a 24-hour time (HH:MM).');
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
          {(
            [
              ['from', 'From', from, setFrom],
              ['to', 'To', to, setTo],
            ] as const
          ).map(([key, label, value, set]) => (
            <fieldset key={key} className="field" style={{ border: 0, padding: 0, margin: 0 }}>
              <legend>{label}</legend>
              <span className="toolbar">
                <input
                  id={`${id}-${key}`}
                  aria-label={`${label} date`}
                  type="date"
                  value={value.date}
                  onChange={(e) => set({ ...value, date: e.target.value })}
                />
                <input
                  aria-label={`${label} time (24-hour)`}
                  type="text"
                  inputMode="numeric"
                  placeholder="HH:MM"
                  size={6}
                  value={value.time}
                  onChange={(e) => set({ ...value, time: e.target.value })}
                />
              </span>
            </fieldset>
          ))}
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
