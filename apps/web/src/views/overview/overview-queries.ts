import { seriesWindow, type SeriesWindow } from '@/lib/series-query';
import type { ResolvedRange } from '@/lib/time-range';

/** The overview's cards draw small sparklines: about 60 buckets each. */
export function overviewWindow(range: ResolvedRange): SeriesWindow {
  return seriesWindow(range, 60);
}
