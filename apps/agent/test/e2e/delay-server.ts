import path from 'node:path';
import { startListeningService, type Service } from '@tcprt/testkit/service';

const MAIN = path.join(import.meta.dirname, 'delay-server-main.mjs');

/**
 * Ground truth for the end-to-end test: a server in its own process that answers every request
 * after exactly `delayMs` (the process time the records must show) with `bodyBytes` bytes.
 */
export function startDelayServer(
  port: number,
  delayMs: number,
  bodyBytes: number,
): Promise<Service> {
  return startListeningService(
    `delay server :${port}`,
    [process.execPath, MAIN, String(port), String(delayMs), String(bodyBytes)],
    { port },
  );
}
