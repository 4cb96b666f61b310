'use client';

import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorState, Loading } from './states';

/**
 * Loading, error and data states of one query in one place, so no page forgets one.
 * Previous data stays on screen while a refresh is in flight (no flashing on auto-refresh).
 */
export function QueryView<T>({
  query,
  loadingHeight,
  children,
}: {
  query: UseQueryResult<T, { message: string }>;
  loadingHeight?: number;
  children: (data: T) => ReactNode;
}) {
  if (query.data !== undefined) return <>{children(query.data)}</>;
  if (query.isError) return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  return <Loading height={loadingHeight} />;
}
