'use client';

import { useCallback, useEffect, useState } from 'react';
import {
  parseTimeRange,
  resolveTimeRange,
  writeTimeRange,
  type ResolvedRange,
  type TimeRangeSpec,
} from './time-range';
import { useUrlParams } from './use-url-params';

export const REFRESH_CHOICES = [
  { key: 'off', label: 'Off', ms: 0 },
  { key: '10s', label: '10 s', ms: 10_000 },
  { key: '30s', label: '30 s', ms: 30_000 },
  { key: '1m', label: '1 min', ms: 60_000 },
] as const;
export type RefreshKey = (typeof REFRESH_CHOICES)[number]['key'];
const DEFAULT_REFRESH: RefreshKey = '30s';

export interface TimeRangeState {
  spec: TimeRangeSpec;
  range: ResolvedRange;
  refresh: RefreshKey;
  setSpec: (spec: TimeRangeSpec) => void;
  /** Narrow to [fromMs, toMs) as a new history entry: the back button returns to the wider view. */
  zoomTo: (fromMs: number, toMs: number) => void;
  setRefresh: (key: RefreshKey) => void;
  /** Re-resolve a relative range against the current time now. */
  refreshNow: () => void;
}

/**
 * The page's time window. A relative range ("last 1 hour") is resolved against a clock that only
 * moves on each auto-refresh tick, so query keys stay stable between ticks.
 */
export function useTimeRange(initialNowMs?: number): TimeRangeState {
  const { params, update } = useUrlParams();
  const spec = parseTimeRange(params);
  const refreshParam = params.get('refresh');
  const refresh = REFRESH_CHOICES.find((c) => c.key === refreshParam)?.key ?? DEFAULT_REFRESH;
  const refreshMs = REFRESH_CHOICES.find((c) => c.key === refresh)?.ms ?? 0;
  // A server-rendered page passes the clock it prefetched with, so its query keys match.
  const [nowMs, setNowMs] = useState(() => initialNowMs ?? Date.now());
  useEffect(() => {
    if (refreshMs === 0 || spec.kind === 'absolute') return;
    const timer = setInterval(() => setNowMs(Date.now()), refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs, spec.kind]);

  const range = resolveTimeRange(spec, nowMs);

  const setSpec = useCallback(
    (next: TimeRangeSpec) => {
      setNowMs(Date.now());
      update((p) => writeTimeRange(p, next));
    },
    [update],
  );
  const zoomTo = useCallback(
    (fromMs: number, toMs: number) =>
      update(
        (p) =>
          writeTimeRange(p, {
            kind: 'absolute',
            fromMs: Math.floor(fromMs),
            toMs: Math.ceil(toMs),
          }),
        { push: true },
      ),
    [update],
  );
  const setRefresh = useCallback(
    (key: RefreshKey) =>
      update((p) => {
        if (key === DEFAULT_REFRESH) p.delete('refresh');
        else p.set('refresh', key);
      }),
    [update],
  );
  const refreshNow = useCallback(() => setNowMs(Date.now()), []);
  return { spec, range, refresh, setSpec, zoomTo, setRefresh, refreshNow };
}
