import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Teach } from '@/components/states';
import { TaskView } from '@/views/task/task-view';

export const metadata: Metadata = { title: 'Task' };

export default async function TaskPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const recordId = Number(id);
  if (!Number.isSafeInteger(recordId) || recordId < 1) {
    return (
      <Teach title="Not a record id">
        <p>Task pages are addressed by a positive record id, as linked from the Tasks table.</p>
      </Teach>
    );
  }
  return (
    <Suspense>
      <TaskView id={recordId} />
    </Suspense>
  );
}
