import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@tcprt/testkit/paths';
import { spawnService, whenReady, type Service } from '@tcprt/testkit/service';
import { waitForValue } from '@tcprt/testkit/waitUntil';

export const WEB_ROOT = path.join(REPO_ROOT, 'apps/web');
export const LOG_DIR = path.join(WEB_ROOT, 'test-results/processes');

/**
 * A long-running process for the browser tests, in its own process group (the agent runs under
 * tsx and next under its own launcher: `stop()` signals the whole group), its output in
 * test-results/processes/<name>.log.
 */
export function startProcess(
  name: string,
  argv: string[],
  env: Record<string, string>,
  cwd = REPO_ROOT,
): Service {
  return spawnService(name, argv, {
    env,
    cwd,
    logFile: path.join(LOG_DIR, `${name}.log`),
    processGroup: true,
    stopGraceMs: 10_000,
  });
}

/** True once `url` answers with a 2xx status; false while nothing answers there yet. */
export async function answersOk(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

/** Waits until `probe` returns true, failing early with the process's output if it exits first. */
export async function waitUntilReady(
  service: Service,
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  await whenReady(
    service,
    waitForValue(what, async () => ((await probe()) ? true : undefined), timeoutMs, 250),
  );
}

export interface ConsoleOptions {
  host: string;
  port: number;
  agentUrl: string;
  env?: Record<string, string>;
}

/** `next start` of the built console on `host`:`port`, talking to the agent at `agentUrl`. */
export async function startConsole(
  name: string,
  { host, port, agentUrl, env = {} }: ConsoleOptions,
): Promise<Service> {
  requireBuild();
  const next = startProcess(
    name,
    [path.join(WEB_ROOT, 'node_modules/.bin/next'), 'start', '-p', String(port), '-H', host],
    { TCPRT_AGENT_URL: agentUrl, NEXT_TELEMETRY_DISABLED: '1', ...env },
    WEB_ROOT,
  );
  // The console's own page answers even when the agent does not (the unreachable-agent spec).
  await waitUntilReady(next, 'console', () => answersOk(`http://${host}:${port}/`), 120_000);
  return next;
}

export function requireBuild(): void {
  if (!existsSync(path.join(WEB_ROOT, '.next/BUILD_ID'))) {
    throw new Error(
      'apps/web has no production build: run `pnpm --filter @tcprt/web build` (turbo runs it before test)',
    );
  }
}
