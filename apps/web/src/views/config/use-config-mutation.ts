'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '@/lib/trpc';

/** After any config change: the running config and the agent's status (which shows its load time) are stale. */
export function useConfigInvalidation(): () => Promise<void> {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.config.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.status.get.queryKey() }),
    ]);
  };
}
