import type { AppRouter } from '@tcprt/agent/router';
import { QueryClient, dehydrate, type DehydratedState } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { createTRPCOptionsProxy, type TRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { agentBaseUrl } from './agent-proxy';

/**
 * Server-side prefetching: the page's first queries run in the Next server, straight against
 * the agent, and their results travel in the HTML, so the first data is on screen at first paint
 * instead of after hydration and two API round trips.
 */
export async function prefetchForPage(
  prefetch: (trpc: TRPCOptionsProxy<AppRouter>, queryClient: QueryClient) => Promise<void>,
): Promise<DehydratedState> {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { staleTime: 5_000, retry: false } },
  });
  const client = createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${agentBaseUrl()}/trpc` })],
  });
  const trpc = createTRPCOptionsProxy<AppRouter>({ client, queryClient });
  // An unreachable agent is not a page error: the client retries and shows the reason.
  await prefetch(trpc, queryClient).catch(() => undefined);
  return dehydrate(queryClient);
}
