'use client';

import { useQuery } from '@tanstack/react-query';
import type { CollectorGap } from '@tcprt/schema';
import { useTRPC } from '@/lib/trpc';

/**
 * The times no collector was attached (from status, the health banner's query and cache): charts
 * draw them as bands, since the requests of those times were never recorded.
 */
export function useCollectorGaps(): CollectorGap[] {
  const trpc = useTRPC();
  const status = useQuery({
    ...trpc.status.get.queryOptions({}),
    refetchInterval: 10_000,
    retry: 0,
  });
  return status.data?.collector.gaps ?? [];
}
