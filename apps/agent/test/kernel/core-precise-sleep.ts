import { setTimeout as sleep } from 'node:timers/promises';

// A timer alone may fire late by several ms on a busy event loop; sleep to just short of the
// target, then spin, so a test peer's "waits 200 ms" is 200 ms to well under a millisecond.
const SPIN_MS = 20;

export async function preciseSleep(ms: number): Promise<void> {
  const until = performance.now() + ms;
  if (ms > SPIN_MS) await sleep(ms - SPIN_MS);
  while (performance.now() < until) {
    // spin
  }
}
