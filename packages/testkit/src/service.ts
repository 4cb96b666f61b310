import { spawn, type ChildProcess } from 'node:child_process';
import { inNetns } from './command';
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
}

/** Starts a long-running process (optionally pinned, or inside a network namespace) that `stop()` ends. */
export function spawnService(name: string, argv: string[], options: ServiceOptions = {}): Service {
  const pinned = options.cpus ? ['taskset', '-c', options.cpus, ...argv] : argv;
  const [file, ...args] = inNetns(options.netns, pinned);
  if (!file) throw new Error(`${name}: empty command`);
  // `ip netns exec` and `taskset` exec the command in place, so signals to this pid reach the
  // service itself.
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keepTail = (chunk: string) => {
    tail = (tail + chunk).slice(-TAIL_CHARS);
  };
  child.stdout?.setEncoding('utf8').on('data', keepTail);
  child.stderr?.setEncoding('utf8').on('data', keepTail);
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
    async stop(graceMs = 5000) {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return gone;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** Waits for `ready`, failing early with the service's output if it exits first. */
export async function whenReady(service: Service, ready: Promise<void>): Promise<void> {
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
  /** Grace between SIGTERM and SIGKILL in `stop()`. */
  stopGraceMs?: number;
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
    async stop(graceMs = options.stopGraceMs) {
      await service.stop(graceMs);
      await cleanup();
    },
  };
}
