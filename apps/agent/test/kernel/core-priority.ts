import { execFileSync } from 'node:child_process';
import os from 'node:os';

/*
 * The ground-truth peers (a server that waits 200 ms, a client that pauses 100 ms) must keep
 * their timing on a loaded 2-core machine, or a test would blame the collector for a late
 * peer. The `tcprt collect` under test keeps its normal priority.
 */

/**
 * The server process gets real-time scheduling: only that makes its wake-ups prompt under load.
 * RLIMIT_RTTIME is the safety net: the kernel kills it if it ever runs 0.5 s without sleeping,
 * so a bug can never starve the machine.
 */
export function makeRealtime(pid: number): void {
  execFileSync('prlimit', ['--pid', String(pid), '--rttime=300000:500000']);
  execFileSync('chrt', ['-a', '-f', '-p', '10', String(pid)]);
}

/**
 * Runs a short synchronous section of this process (a client's timed pause) real-time, under
 * the same RLIMIT_RTTIME guard, then returns to normal scheduling.
 */
export function duringRealtime<T>(section: () => T): T {
  makeRealtimeThread(process.pid);
  try {
    return section();
  } finally {
    execFileSync('chrt', ['-o', '-p', '0', String(process.pid)]);
  }
}

function makeRealtimeThread(tid: number): void {
  execFileSync('prlimit', ['--pid', String(tid), '--rttime=300000:500000']);
  execFileSync('chrt', ['-f', '-p', '10', String(tid)]);
}

/** The clients (this process) get the highest nice priority, which cannot starve anything. */
export function setHighPriority(high: boolean): void {
  os.setPriority(process.pid, high ? -20 : 0);
}
