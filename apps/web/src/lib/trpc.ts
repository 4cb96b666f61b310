'use client';

import type { AppRouter } from '@tcprt/agent/router';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { readAgentToken } from './agent-token';

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

/** Same origin: the Next server forwards /trpc to the agent (src/app/trpc). */
export function makeTrpcClient() {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: '/trpc',
        maxURLLength: 4000,
        headers() {
          const token = readAgentToken();
          return token ? { authorization: `Bearer ${token}` } : {};
        },
      }),
    ],
  });
}
