import { HydrationBoundary } from '@tanstack/react-query';
import { Suspense } from 'react';
import { searchParamsOf, type SearchParamsProp } from '@/lib/page-params';
import { prefetchForPage } from '@/lib/trpc-server';
import { parseTimeRange, resolveTimeRange } from '@/lib/time-range';
import { seriesInput, windowInput } from '@/lib/series-query';
import { overviewWindow } from '@/views/overview/overview-queries';
import { OverviewView } from '@/views/overview/overview-view';

export default async function OverviewPage({ searchParams }: SearchParamsProp) {
  const params = await searchParamsOf(searchParams);
  const nowMs = Date.now();
  const w = overviewWindow(resolveTimeRange(parseTimeRange(params), nowMs));
  const state = await prefetchForPage(async (trpc, queryClient) => {
    const [ports] = await Promise.all([
      queryClient.fetchQuery(trpc.stats.ports.queryOptions({ fromMs: w.fromMs, toMs: w.toMs })),
      queryClient.prefetchQuery(trpc.config.rules.list.queryOptions({})),
    ]);
    await Promise.all(
      ports.ports.flatMap((p) => [
        queryClient.prefetchQuery(trpc.stats.series.queryOptions(seriesInput(p, w))),
        queryClient.prefetchQuery(trpc.stats.window.queryOptions(windowInput(p, w))),
      ]),
    );
  });
  return (
    <HydrationBoundary state={state}>
      <Suspense>
        <OverviewView initialNowMs={nowMs} />
      </Suspense>
    </HydrationBoundary>
  );
}
