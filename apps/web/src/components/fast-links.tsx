'use client';

import { useRouter } from 'next/navigation';
import type { MouseEvent, ReactNode } from 'react';

/**
 * Client-side navigation for plain `<a href>` links inside large tables. next/link costs a few
 * hooks per link, which adds up to hundreds of milliseconds for a page of rows; one delegated
 * click handler gives the same in-app navigation, while the anchors stay real links (keyboard,
 * middle-click, "open in new tab").
 */
export function FastLinks({ children }: { children: ReactNode }) {
  const router = useRouter();
  function onClick(e: MouseEvent<HTMLDivElement>) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)
      return;
    const anchor = (e.target as HTMLElement).closest('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href);
    if (url.origin !== window.location.origin) return;
    e.preventDefault();
    router.push(`${url.pathname}${url.search}`);
  }
  return <div onClick={onClick}>{children}</div>;
}
