import { HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { searchParamsOf, type SearchParamsProp } from '@/lib/page-params';
import { parseTimeRange, resolveTimeRange } from '@/lib/time-range';
import { prefetchForPage } from '@/lib/trpc-server';
import { seriesInput } from '@/lib/series-query';
import { chosenPort, trendsWindow } from '@/views/trends/trends-queries';
import { TrendsView } from '@/views/trends/trends-view';

export const metadata: Metadata = { title: 'Port trends' };

export default async function TrendsPage({ searchParams }: SearchParamsProp) {
  const params = await searchParamsOf(searchParams);
  const nowMs = Date.now();
  const w = trendsWindow(resolveTimeRange(parseTimeRange(params), nowMs));
  const state = await prefetchForPage(async (trpc, queryClient) => {
    const ports = await queryClient.fetchQuery(
      trpc.stats.ports.queryOptions({ fromMs: w.fromMs, toMs: w.toMs }),
    );
    const chosen = chosenPort(params, ports);
    if (chosen)
      await queryClient.prefetchQuery(trpc.stats.series.queryOptions(seriesInput(chosen, w)));
  });
  return (
    <HydrationBoundary state={state}>
      <Suspense>
        <TrendsView initialNowMs={nowMs} />
      </Suspense>
    </HydrationBoundary>
  );
}
