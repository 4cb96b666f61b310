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
