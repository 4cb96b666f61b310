import { setTimeout as sleep } from 'node:timers/promises';

// Real-time peers (core-priority.ts) see their timers fire late by about a millisecond at most.
const REALTIME_SPIN_MS = 2;

/** Busy-waits: no timer and no busy event loop can make the pause longer than asked. */
export function spinFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

/** For real-time peers: a timer until just short of the target, then a spin, exact to well under 1 ms. */
export async function preciseSleep(ms: number): Promise<void> {
  const until = performance.now() + ms;
  if (ms > REALTIME_SPIN_MS) await sleep(ms - REALTIME_SPIN_MS);
  spinFor(until - performance.now());
}
