import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../../..');
export const WEB_ROOT = path.join(REPO_ROOT, 'apps/web');
export const TCPRT_BIN = path.join(REPO_ROOT, 'apps/agent/bin/tcprt');
export const LOG_DIR = path.join(WEB_ROOT, 'test-results/processes');

export function freePort(host = '127.0.0.1', port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A port free on every one of these addresses (one console port for several loopback "hosts"). */
export async function freePortOn(hosts: readonly string[]): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await freePort(hosts[0]);
    const elsewhere = await Promise.all(
      hosts.slice(1).map((h) =>
        freePort(h, port).then(
          () => true,
          () => false,
        ),
      ),
    );
    if (elsewhere.every(Boolean)) return port;
  }
  throw new Error(`no port free on all of ${hosts.join(', ')}`);
}

export interface Started {
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a long-running process in its own process group, its output in test-results/processes/<name>.log. */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd = REPO_ROOT,
): Started {
  mkdirSync(LOG_DIR, { recursive: true });
  const log = createWriteStream(path.join(LOG_DIR, `${name}.log`));
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    async stop() {
      if (child.exitCode !== null || child.pid === undefined) return;
      // The agent runs under a wrapper (tsx) and next under pnpm: signal the whole group.
      process.kill(-child.pid, 'SIGTERM');
      const killed = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), 10_000)),
      ]);
      if (!killed) process.kill(-child.pid, 'SIGKILL');
      await exited;
    },
  };
}

/** Polls `probe` until it returns a value, failing with the process log's name when it never does. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null>,
  timeoutMs: number,
  started?: Started,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (started && started.child.exitCode !== null)
      throw new Error(
        `${what}: the process exited with code ${started.child.exitCode} (see ${LOG_DIR})`,
      );
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: not ready after ${timeoutMs} ms (see ${LOG_DIR})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function requireBuild(): void {
  if (!existsSync(path.join(WEB_ROOT, '.next/BUILD_ID'))) {
    throw new Error(
      'apps/web has no production build: run `pnpm --filter @tcprt/web build` (turbo runs it before test)',
    );
  }
}
