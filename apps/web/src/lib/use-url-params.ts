'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';

/**
 * Page state that belongs in the URL (filters, range, sort) so a view can be shared.
 * `update` edits a copy of the current parameters and replaces the history entry, or adds one
 * with `{ push: true }` (a zoom, which the back button should undo).
 */
export function useUrlParams(): {
  params: URLSearchParams;
  update: (edit: (params: URLSearchParams) => void, options?: { push?: boolean }) => void;
} {
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const update = useCallback(
    (edit: (params: URLSearchParams) => void, options?: { push?: boolean }) => {
      const next = new URLSearchParams(searchParams.toString());
      edit(next);
      const query = next.toString();
      const href = query ? `${pathname}?${query}` : pathname;
      if (options?.push) router.push(href, { scroll: false });
      else router.replace(href, { scroll: false });
    },
    [searchParams, router, pathname],
  );
  return { params: new URLSearchParams(searchParams.toString()), update };
}
