'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';

/**
 * Page state that belongs in the URL (filters, range, sort) so a view can be shared.
 * `update` edits a copy of the current parameters and replaces the history entry.
 */
export function useUrlParams(): {
  params: URLSearchParams;
  update: (edit: (params: URLSearchParams) => void) => void;
} {
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const update = useCallback(
    (edit: (params: URLSearchParams) => void) => {
      const next = new URLSearchParams(searchParams.toString());
      edit(next);
      const query = next.toString();
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [searchParams, router, pathname],
  );
  return { params: new URLSearchParams(searchParams.toString()), update };
}
