import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `probe` until it returns a value (anything but undefined) and returns it; fails naming
 * `what` once `timeoutMs` has passed. A probe that throws fails the wait at once.
 */
export async function waitForValue<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  pollMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(pollMs);
  }
}

/** Polls `check` until it returns true; fails naming `what` once `timeoutMs` has passed. */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  pollMs = 50,
): Promise<void> {
  await waitForValue(what, async () => ((await check()) ? true : undefined), timeoutMs, pollMs);
}
