// The time range every page shares, kept in the URL (`?range=1h` or `?from=<ms>&to=<ms>`)
// so that a view can be shared and survives a reload.

export const RANGE_PRESETS = [
  { key: '15m', label: 'Last 15 min', ms: 15 * 60_000 },
  { key: '1h', label: 'Last 1 hour', ms: 3_600_000 },
  { key: '6h', label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { key: '24h', label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { key: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { key: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
] as const;

export type RangePresetKey = (typeof RANGE_PRESETS)[number]['key'];

export const DEFAULT_RANGE: RangePresetKey = '1h';

export type TimeRangeSpec =
  { kind: 'relative'; preset: RangePresetKey } | { kind: 'absolute'; fromMs: number; toMs: number };

export interface ResolvedRange {
  fromMs: number;
  toMs: number;
}

function presetOf(key: string | null): (typeof RANGE_PRESETS)[number] | undefined {
  return RANGE_PRESETS.find((p) => p.key === key);
}

export function parseTimeRange(params: URLSearchParams): TimeRangeSpec {
  const from = Number(params.get('from'));
  const to = Number(params.get('to'));
  if (
    params.has('from') &&
    params.has('to') &&
    Number.isFinite(from) &&
    Number.isFinite(to) &&
    from < to
  ) {
    return { kind: 'absolute', fromMs: from, toMs: to };
  }
  const preset = presetOf(params.get('range'));
  return { kind: 'relative', preset: preset?.key ?? DEFAULT_RANGE };
}

export function writeTimeRange(params: URLSearchParams, spec: TimeRangeSpec): void {
  params.delete('range');
  params.delete('from');
  params.delete('to');
  if (spec.kind === 'absolute') {
    params.set('from', String(spec.fromMs));
    params.set('to', String(spec.toMs));
  } else if (spec.preset !== DEFAULT_RANGE) {
    params.set('range', spec.preset);
  }
}

export function resolveTimeRange(spec: TimeRangeSpec, nowMs: number): ResolvedRange {
  if (spec.kind === 'absolute') return { fromMs: spec.fromMs, toMs: spec.toMs };
  const preset = presetOf(spec.preset) ?? RANGE_PRESETS[1];
  return { fromMs: nowMs - preset.ms, toMs: nowMs };
}

/**
 * Chart bucket width for a range: about 60–120 points, rounded to a width people read easily.
 * The agent keeps 10 s rollups for the last day and per-minute ones (and coarser) for all of its
 * history, so a range reaching further back than a day gets whole minutes at least.
 */
const BUCKET_STEPS_SEC = [
  10, 20, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
];
export const FINEST_KEPT_MS = 86_400_000;

export function bucketSecFor(
  range: ResolvedRange,
  targetPoints = 90,
  nowMs: number = Date.now(),
): number {
  const ideal = (range.toMs - range.fromMs) / 1000 / targetPoints;
  const finestKept = range.fromMs >= nowMs - FINEST_KEPT_MS;
  return (
    BUCKET_STEPS_SEC.find((s) => s >= ideal && (finestKept || s % 60 === 0)) ??
    BUCKET_STEPS_SEC[BUCKET_STEPS_SEC.length - 1]!
  );
}

/** "10 s", "5 min", "1 h": a bucket width as the charts' titles say it. */
export function formatBucketWidth(sec: number): string {
  if (sec < 60) return `${sec} s`;
  if (sec < 3600) return `${sec / 60} min`;
  return `${sec / 3600} h`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * Local date and 24-hour time as two fields: Chromium's `datetime-local` follows the browser's
 * locale (AM/PM in en-US) while every other time in the console is 24-hour.
 */
export interface LocalInput {
  date: string;
  time: string;
}

export function toLocalInput(ms: number): LocalInput {
  const d = new Date(ms);
  return {
    date: `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`,
    time: `${pad2(d.getHours())}:${pad2(d.getMinutes())}`,
  };
}

/** Epoch ms of a local date and HH:MM (or HH:MM:SS) time, NaN when either is not valid. */
export function fromLocalInput({ date, time }: LocalInput): number {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/.exec(time.trim());
  if (!d || !t) return NaN;
  return new Date(
    Number(d[1]),
    Number(d[2]) - 1,
    Number(d[3]),
    Number(t[1]),
    Number(t[2]),
    Number(t[3] ?? 0),
  ).getTime();
}
