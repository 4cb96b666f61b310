'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { formatCount } from '@/lib/format';
import { healthProblems } from '@/lib/health';
import { useTRPC } from '@/lib/trpc';

/**
 * Shown on every page when something makes the numbers incomplete: the agent is unreachable,
 * the collector is not running, records were lost, or the last config change was rejected.
 */
export function HealthBanner() {
  const trpc = useTRPC();
  const status = useQuery({
    ...trpc.status.get.queryOptions({}),
    refetchInterval: 10_000,
    retry: 0,
  });
  if (status.isError && !status.data) {
    return (
      <div className="banner bad" role="alert">
        <strong>Agent unreachable.</strong>
        <span>{status.error.message} — figures below may be missing.</span>
      </div>
    );
  }
  if (!status.data) return null;
  const problems = healthProblems(status.data);
  if (problems.length === 0) return null;
  const severe = problems.some((p) => p.severity === 'bad');
  return (
    <div className={`banner ${severe ? 'bad' : 'warn'}`} role="alert" data-testid="health-banner">
      <strong>{severe ? 'Numbers are incomplete.' : 'Attention.'}</strong>
      <span>
        {problems.map((p) => p.message).join(' · ')} — <Link href="/status">details</Link>
        {status.data.collector.lostRecords > 0 && (
          <span className="muted"> ({formatCount(status.data.collector.lostRecords)} lost)</span>
        )}
      </span>
    </div>
  );
}
