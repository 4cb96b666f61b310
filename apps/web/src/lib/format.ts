// Human-readable units. Durations arrive in microseconds everywhere in the API; the unit
// shown is picked per value so that 850 µs, 12.4 ms and 1.20 s all read naturally.

/** min RTT is reported as u32 max when the kernel had no RTT sample yet (SPEC §2). */
export const NO_RTT_SAMPLE_US = 4294967295;

function threeSignificant(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function formatUs(us: number | null | undefined): string {
  if (us === null || us === undefined || !Number.isFinite(us)) return '—';
  if (us === NO_RTT_SAMPLE_US) return 'no sample';
  const abs = Math.abs(us);
  if (abs < 1000) return `${Math.round(us)} µs`;
  if (abs < 1_000_000) return `${threeSignificant(us / 1000)} ms`;
  if (abs < 60_000_000) return `${threeSignificant(us / 1_000_000)} s`;
  if (abs < 3_600_000_000) return `${threeSignificant(us / 60_000_000)} min`;
  return `${threeSignificant(us / 3_600_000_000)} h`;
}

/** Axis ticks: shorter than formatUs (no space, no trailing zeros), same unit choice. */
export function formatUsTick(us: number): string {
  return formatUs(us)
    .replace(/\.0+(?=\s)|(\.\d*?)0+(?=\s)/, '$1')
    .replace(' ', '');
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${threeSignificant(bytes / 1024)} KiB`;
  if (bytes < 1024 * 1024 * 1024) return `${threeSignificant(bytes / (1024 * 1024))} MiB`;
  return `${threeSignificant(bytes / (1024 * 1024 * 1024))} GiB`;
}

export function formatPermille(permille: number | null | undefined): string {
  if (permille === null || permille === undefined || !Number.isFinite(permille)) return '—';
  return `${permille >= 10 ? permille.toFixed(0) : permille.toFixed(1)} ‰`;
}

/** A share (0–1) as a percentage; a non-zero share never reads "0 %". */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  if (share === 0) return '0 %';
  const percent = share * 100;
  if (percent < 0.1) return '<0.1 %';
  return `${percent < 10 ? percent.toFixed(1) : Math.round(percent)} %`;
}

export function formatRate(perSecond: number | null | undefined, unit = '/s'): string {
  if (perSecond === null || perSecond === undefined || !Number.isFinite(perSecond)) return '—';
  if (perSecond === 0) return `0${unit}`;
  if (perSecond < 0.01) return `<0.01${unit}`;
  if (perSecond >= 1000) return `${threeSignificant(perSecond / 1000)}k${unit}`;
  return `${threeSignificant(perSecond)}${unit}`;
}

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return n.toLocaleString('en-US');
}

/** Axis ticks for counts: 750k, 1.2M — a full 1,000,000 does not fit a y axis. */
export function formatCountTick(n: number): string {
  if (Math.abs(n) >= 1_000_000) return `${Number((n / 1_000_000).toFixed(1))}M`;
  if (Math.abs(n) >= 10_000) return `${Number((n / 1000).toFixed(0))}k`;
  return n.toLocaleString('en-US');
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time with millisecond precision, e.g. `2026-11-26 06:12:03.481`. */
export function formatTimestampMs(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`
  );
}

/** Axis ticks on time charts: time of day, with the date when the span covers days. */
export function formatClockTick(ms: number, spanMs: number): string {
  const d = new Date(ms);
  const hm = `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  if (spanMs > 2 * 86_400_000) return `${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${hm}`;
  if (spanMs <= 15 * 60_000) return `${hm}:${pad2(d.getSeconds())}`;
  return hm;
}

export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad2(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${pad2(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}
