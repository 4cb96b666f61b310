import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LogsView } from '@/views/logs/logs-view';

export const metadata: Metadata = { title: 'Raw logs' };

export default function LogsPage() {
  return (
    <Suspense>
      <LogsView />
    </Suspense>
  );
}
