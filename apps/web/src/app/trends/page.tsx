import type { Metadata } from 'next';
import { Suspense } from 'react';
import { TrendsView } from '@/views/trends/trends-view';

export const metadata: Metadata = { title: 'Port trends' };

export default function TrendsPage() {
  return (
    <Suspense>
      <TrendsView />
    </Suspense>
  );
}
