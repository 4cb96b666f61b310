import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Teach } from '@/components/states';
import { ConnectionView } from '@/views/connection/connection-view';

export const metadata: Metadata = { title: 'Connection' };

export default async function ConnectionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const connectionId = Number(id);
  if (!Number.isSafeInteger(connectionId) || connectionId < 1) {
    return (
      <Teach title="Not a connection id">
        <p>Connection pages are addressed by a positive connection id, as linked from a task.</p>
      </Teach>
    );
  }
  return (
    <Suspense>
      <ConnectionView connectionId={connectionId} />
    </Suspense>
  );
}
