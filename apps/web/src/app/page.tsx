import { Suspense } from 'react';
import { OverviewView } from '@/views/overview/overview-view';

export default function OverviewPage() {
  return (
    <Suspense>
      <OverviewView />
    </Suspense>
  );
}
