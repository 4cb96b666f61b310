import path from 'node:path';
import { waitForListening } from '../support/listening';
import { spawnService, whenReady, type Service } from '../support/service';

const MAIN = path.join(import.meta.dirname, 'delay-server-main.mjs');

/**
 * Ground truth for the end-to-end test: a server in its own process that answers every request
 * after exactly `delayMs` (the process time the records must show) with `bodyBytes` bytes.
 */
export async function startDelayServer(
  port: number,
  delayMs: number,
  bodyBytes: number,
): Promise<Service> {
  const service = spawnService(`delay server :${port}`, [
    process.execPath,
    MAIN,
    String(port),
    String(delayMs),
    String(bodyBytes),
  ]);
  await whenReady(service, waitForListening(port, 10_000));
  return service;
}
