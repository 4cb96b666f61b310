import type { Metadata } from 'next';
import { Suspense } from 'react';
import { CloseReasonsView } from '@/views/close-reasons/close-reasons-view';

export const metadata: Metadata = { title: 'Close reasons' };

export default function CloseReasonsPage() {
  return (
    <Suspense>
      <CloseReasonsView />
    </Suspense>
  );
}
