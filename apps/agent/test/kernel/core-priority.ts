import os from 'node:os';

/*
 * The ground-truth peers (a server that waits 200 ms, a client that pauses 100 ms) must keep
 * their timing on a loaded 2-core machine, or a test would blame the collector for a late
 * peer. The highest nice priority makes their wake-ups prompt without being able to starve the
 * rest of the machine (real-time scheduling could). The `tcprt collect` under test starts
 * before the priority is raised and keeps the normal one.
 */
const HIGHEST = -20;

/** argv that runs a command at the highest priority; its children inherit it. */
export function highPriorityArgv(argv: string[]): string[] {
  return ['nice', '-n', String(HIGHEST), ...argv];
}

/** Raises (or restores to normal) the priority of this process's JavaScript thread. */
export function setHighPriority(high: boolean): void {
  os.setPriority(process.pid, high ? HIGHEST : 0);
}
