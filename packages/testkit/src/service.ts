import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { inNetns, pinnedTo } from './command';
import { waitForListening } from './listening';

export interface Service {
  name: string;
  process: ChildProcess;
  /** Last output of the process, for error messages. */
  outputTail(): string;
  /** Rejects as soon as the process exits: race it against a readiness wait. */
  exited: Promise<never>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

const TAIL_CHARS = 4000;

export interface ServiceOptions {
  netns?: string;
  /** CPU list for `taskset -c` (e.g. "0"), to keep benchmark load and server apart. */
  cpus?: string;
  /** Added to this process's environment. */
  env?: Record<string, string>;
  cwd?: string;
  /** Also write everything the process prints to this file (its directory is created). */
  logFile?: string;
  /**
   * Run in its own process group and signal the whole group on `stop()`: for commands behind a
   * wrapper that does not pass signals on (pnpm, tsx's watchers).
   */
  processGroup?: boolean;
  /** Default grace between SIGTERM and SIGKILL in `stop()`. */
  stopGraceMs?: number;
}

/** Starts a long-running process (optionally pinned, or inside a network namespace) that `stop()` ends. */
export function spawnService(name: string, argv: string[], options: ServiceOptions = {}): Service {
  const [file, ...args] = inNetns(options.netns, pinnedTo(options.cpus, argv));
  if (!file) throw new Error(`${name}: empty command`);
  // `ip netns exec` and `taskset` exec the command in place, so signals to this pid reach the
  // service itself.
  const child = spawn(file, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: options.cwd,
    env: options.env ? { ...process.env, ...options.env } : undefined,
    detached: options.processGroup,
  });
  let tail = '';
  const keepTail = (chunk: string) => {
    tail = (tail + chunk).slice(-TAIL_CHARS);
  };
  child.stdout?.setEncoding('utf8').on('data', keepTail);
  child.stderr?.setEncoding('utf8').on('data', keepTail);
  if (options.logFile) {
    mkdirSync(path.dirname(options.logFile), { recursive: true });
    const log = createWriteStream(options.logFile);
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  const signal = (sig: NodeJS.Signals) => {
    if (options.processGroup && child.pid !== undefined) process.kill(-child.pid, sig);
    else child.kill(sig);
  };
  const gone = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let stopping = false;
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (err) => reject(new Error(`${name}: ${err.message}`)));
    child.once('exit', (code, signal) => {
      if (!stopping) reject(new Error(`${name} exited (${code ?? signal}) unexpectedly:\n${tail}`));
    });
  });
  exited.catch(() => {}); // observed by whoever races it; unobserved it must not crash the run

  return {
    name,
    process: child,
    outputTail: () => tail,
    exited,
    async stop(graceMs = options.stopGraceMs ?? 5000) {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return gone;
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** Waits for `ready`, failing early with the service's output if it exits first. */
export async function whenReady(service: Service, ready: Promise<unknown>): Promise<void> {
  try {
    await Promise.race([ready, service.exited]);
  } catch (err) {
    await service.stop();
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`${service.name} did not become ready: ${message}\n${service.outputTail()}`);
  }
}

export interface ListeningServiceOptions extends ServiceOptions {
  /** The TCP port the service listens on once it is ready. */
  port: number;
  readyTimeoutMs?: number;
  /** Runs before the process is spawned (e.g. initialising a data directory). */
  prepare?: () => Promise<unknown>;
  /**
   * Runs once the process is gone (e.g. deleting its directory): after `stop()`, and also when
   * `prepare` fails or the service never listens.
   */
  cleanup?: () => Promise<void>;
}

/**
 * The start-up every server starter shares: prepare, spawn, wait until `port` listens (failing
 * with the output if the process exits first), and a `stop()` that ends the process and cleans up.
 */
export async function startListeningService(
  name: string,
  argv: string[],
  options: ListeningServiceOptions,
): Promise<Service> {
  const cleanup = options.cleanup ?? (async () => {});
  try {
    await options.prepare?.();
  } catch (err) {
    await cleanup();
    throw err;
  }
  const service = spawnService(name, argv, options);
  try {
    await whenReady(
      service,
      waitForListening(options.port, options.readyTimeoutMs ?? 10_000, options.netns),
    );
  } catch (err) {
    await cleanup();
    throw err;
  }
  return {
    ...service,
    async stop(graceMs) {
      await service.stop(graceMs);
      await cleanup();
    },
  };
}
