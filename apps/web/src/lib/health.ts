import type { Status } from '@tcprt/schema';

export interface HealthProblem {
  severity: 'bad' | 'warn';
  message: string;
}

/** What in the agent's status makes its figures untrustworthy, worst first. */
export function healthProblems(status: Status): HealthProblem[] {
  const problems: HealthProblem[] = [];
  const c = status.collector;
  if (c.state !== 'running' && c.state !== 'deactivated') {
    problems.push({
      severity: 'bad',
      message: `collector is ${c.state}${c.lastError ? `: ${c.lastError}` : ''}`,
    });
  }
  if (c.lostRecords > 0)
    problems.push({ severity: 'bad', message: 'records were lost in the kernel ring buffer' });
  const storage = status.storage;
  if (storage.unstoredRecords > 0 || storage.unwrittenRawLines > 0 || storage.error)
    problems.push({
      severity: 'bad',
      message: `${storage.error ? `cannot write (${storage.error}); ` : ''}${storage.unstoredRecords} records not stored, ${storage.unwrittenRawLines} raw lines not written`,
    });
  if (status.config.errors.length > 0) {
    problems.push({
      severity: 'warn',
      message: `the last config change was rejected (${status.config.errors.length} error${status.config.errors.length === 1 ? '' : 's'}); the previous config is still running`,
    });
  }
  for (const warning of status.config.warnings)
    problems.push({ severity: 'warn', message: warning });
  const gaps = c.gaps.filter((g) => g.endMs !== null);
  if (gaps.length > 0) {
    const last = gaps.at(-1)!;
    const time = (ms: number) => new Date(ms).toLocaleTimeString();
    problems.push({
      severity: 'warn',
      message: `the collector was not attached ${gaps.length === 1 ? 'once' : `${gaps.length} times`}, last ${time(last.startMs)}–${time(last.endMs!)}: requests in ${gaps.length === 1 ? 'that gap' : 'those gaps'} are not recorded`,
    });
  }
  if (c.state === 'deactivated' || !c.active)
    problems.push({
      severity: 'warn',
      message: 'tracking is deactivated: new connections are not timed',
    });
  return problems;
}
