import { execFileSync } from 'node:child_process';

/*
 * The ground-truth peers (a server that waits 200 ms, a client that pauses 100 ms) must keep
 * their timing even on a loaded 2-core machine, or a test would blame the collector for a
 * late peer. SCHED_FIFO makes their wake-ups prompt; the collector itself stays unprivileged.
 */
const PRIORITY = '20';

/** argv that runs a command under real-time scheduling. */
export function realtimeArgv(argv: string[]): string[] {
  return ['chrt', '-f', PRIORITY, ...argv];
}

/** Switches every thread of a running process to real-time scheduling, or back to normal. */
export function setRealtime(pid: number, realtime: boolean): void {
  const policy = realtime ? ['-f', PRIORITY] : ['-o', '0'];
  execFileSync('chrt', ['-a', ...policy.slice(0, 1), '-p', ...policy.slice(1), String(pid)]);
}
