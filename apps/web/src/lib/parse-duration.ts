// Minimum-time filters are typed by people: "200ms", "1.5s", "800us", "250" (ms).

const UNIT_US: Record<string, number> = {
  us: 1,
  µs: 1,
  ms: 1000,
  s: 1_000_000,
  m: 60_000_000,
  min: 60_000_000,
};

export type DurationParse = { ok: true; us: number } | { ok: false; error: string };

export function parseDurationUs(text: string): DurationParse {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m|min)?\s*$/i.exec(text);
  if (!m?.[1]) return { ok: false, error: 'a duration like 250ms, 1.5s or 800us' };
  const unit = (m[2] ?? 'ms').toLowerCase();
  const factor = UNIT_US[unit];
  if (factor === undefined) return { ok: false, error: `unknown unit ${unit}` };
  const us = Math.round(Number(m[1]) * factor);
  if (us > 86_400_000_000) return { ok: false, error: 'at most 24 hours' };
  return { ok: true, us };
}
