import { HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { searchParamsOf, type SearchParamsProp } from '@/lib/page-params';
import { parseTimeRange, resolveTimeRange } from '@/lib/time-range';
import { prefetchForPage } from '@/lib/trpc-server';
import { endpointsInput, endpointsPort } from '@/views/endpoints/endpoints-queries';
import { EndpointsView } from '@/views/endpoints/endpoints-view';

export const metadata: Metadata = { title: 'Endpoints' };

export default async function EndpointsPage({ searchParams }: SearchParamsProp) {
  const params = await searchParamsOf(searchParams);
  const nowMs = Date.now();
  const range = resolveTimeRange(parseTimeRange(params), nowMs);
  const state = await prefetchForPage(async (trpc, queryClient) => {
    const ports = await queryClient.fetchQuery(
      trpc.stats.ports.queryOptions({ fromMs: range.fromMs, toMs: range.toMs }),
    );
    const port = endpointsPort(params, ports);
    if (port !== null)
      await queryClient.prefetchQuery(
        trpc.stats.endpoints.queryOptions(endpointsInput(port, range)),
      );
  });
  return (
    <HydrationBoundary state={state}>
      <Suspense>
        <EndpointsView initialNowMs={nowMs} />
      </Suspense>
    </HydrationBoundary>
  );
}
