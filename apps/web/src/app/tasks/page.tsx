import { HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { searchParamsOf, type SearchParamsProp } from '@/lib/page-params';
import { parseTimeRange, resolveTimeRange } from '@/lib/time-range';
import { prefetchForPage } from '@/lib/trpc-server';
import { tasksQueryOf } from '@/views/tasks/task-filters';
import { TasksView } from '@/views/tasks/tasks-view';

export const metadata: Metadata = { title: 'Tasks' };

export default async function TasksPage({ searchParams }: SearchParamsProp) {
  const params = await searchParamsOf(searchParams);
  const nowMs = Date.now();
  const query = tasksQueryOf(params, resolveTimeRange(parseTimeRange(params), nowMs));
  const state = await prefetchForPage(async (trpc, queryClient) => {
    if (query) await queryClient.prefetchQuery(trpc.records.list.queryOptions(query));
  });
  return (
    <HydrationBoundary state={state}>
      <Suspense>
        <TasksView initialNowMs={nowMs} />
      </Suspense>
    </HydrationBoundary>
  );
}
