import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { TcprtConfig, TcprtRecord } from '@tcprt/schema';
import { assertCollectorBinary, collectorBinaryPath, CollectorUnavailableError } from './binary';
import { FrameDecoder, type CollectorHealth, type ConfigAck } from './frames';
import { RulesRefusedError, rulesCommand } from './rules-command';
import { toTcprtRecord } from './to-record';

export interface CollectorExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** true when stop() asked for it. */
  requested: boolean;
  /** Why the collector ended when it was not asked to (a loader error or a corrupt stream). */
  error?: string;
}

/**
 * The loader's exit status when its stdout closed. In lines mode that is the reader of the log
 * going away (`tcprt collect | head`), a normal end.
 */
export const LOADER_EXIT_STDOUT_CLOSED = 3;

/**
 * - 'frames' (default): every record reaches onRecord.
 * - 'lines': the loader prints each record as its SPEC §2 log line on this process's stdout,
 *   which it inherits, so no record passes through Node. onRecord sees records only while
 *   setRecordFrames(true) is on (for the SPEC §3 stats); print() adds lines of our own.
 */
export type CollectorOutput = 'frames' | 'lines';

export interface CollectorOptions {
  config: TcprtConfig;
  output?: CollectorOutput;
  onRecord?(record: TcprtRecord): void;
  /** Right after attaching, then about once a second, with cumulative counters. */
  onHealth?(health: CollectorHealth): void;
  onExit?(exit: CollectorExit): void;
  /** The loader's stderr lines; by default they go to this process's stderr. */
  onDiagnostic?(line: string): void;
  /** Defaults to collectorBinaryPath(). */
  binary?: string;
  /** Extra loader arguments, e.g. ['--ringbuf-bytes', '8388608']. */
  loaderArgs?: string[];
}

export interface Collector {
  /** The health frame sent right after attaching. */
  readonly attached: CollectorHealth;
  /** The loader process. */
  readonly pid: number;
  /** Replaces the port rules without reloading; tracked connections keep their decision. */
  applyConfig(config: TcprtConfig): Promise<void>;
  /** Stops tracking new connections; tracked ones finish normally. */
  deactivate(): Promise<void>;
  activate(): Promise<void>;
  /** Lines mode: writes `line` (no newline) to stdout between two record lines. */
  print(line: string): Promise<void>;
  /** Lines mode: also deliver records to onRecord (off at start). */
  setRecordFrames(on: boolean): Promise<void>;
  /** SIGTERM, then waits until the loader has detached everything and exited. */
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 10_000;
const ATTACH_TIMEOUT_MS = 30_000;
const STDERR_TAIL_LINES = 20;

/** The loader's end of the pipes: commands in, frames and diagnostics out. */
interface LoaderPipes {
  stdin: Writable;
  frames: Readable;
  stderr: Readable;
}

/** Where the frame stream arrives in lines mode: the child's fd 3 (its stdout is ours). */
const LINES_FRAMES_FD = 3;

/**
 * Starts the kernel collector and resolves once its programs are attached and the config's
 * rules are in the kernel. Rejects with the loader's own explanation when it cannot run (not
 * root, no BTF, no cgroup v2, verifier refusal) or with how to build it when it is missing.
 */
export async function startCollector(options: CollectorOptions): Promise<Collector> {
  const binary = options.binary ?? collectorBinaryPath();
  await assertCollectorBinary(binary);
  const args = options.loaderArgs ?? [];
  const child =
    options.output === 'lines'
      ? spawn(binary, [...args, '--output', 'lines', '--frames-fd', String(LINES_FRAMES_FD)], {
          stdio: ['pipe', 'inherit', 'pipe', 'pipe'],
        })
      : spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const pipes: LoaderPipes = {
    stdin: child.stdin!,
    frames: (options.output === 'lines' ? child.stdio[LINES_FRAMES_FD] : child.stdout) as Readable,
    stderr: child.stderr!,
  };
  return new Promise<Collector>((resolve, reject) => {
    new LoaderSession(child, pipes, options, resolve, reject);
  });
}

/** The loader answered a command with an error (it is still running). */
class CommandRefusedError extends Error {}

class LoaderSession {
  private readonly decoder = new FrameDecoder();
  private readonly pendingAcks = new Map<number, { resolve(): void; reject(err: Error): void }>();
  private readonly stderrTail: string[] = [];
  private clockOffsetNs: bigint | null = null;
  private nextCommandId = 1;
  private stopRequested = false;
  private failure: string | undefined;
  /** The loader refused the initial rules: start rejects with a RulesRefusedError. */
  private initialRulesRefused = false;
  private exited: Promise<void>;
  private collector: Collector | null = null;
  /** The start promise resolved: from now on an end is reported through onExit. */
  private started = false;
  private readonly attachTimer: NodeJS.Timeout;

  constructor(
    private readonly child: ChildProcess,
    private readonly pipes: LoaderPipes,
    private readonly options: CollectorOptions,
    private readonly resolveStart: (c: Collector) => void,
    private readonly rejectStart: (err: Error) => void,
  ) {
    this.attachTimer = setTimeout(
      () => this.fail(`not attached after ${ATTACH_TIMEOUT_MS} ms`),
      ATTACH_TIMEOUT_MS,
    );
    this.exited = new Promise((resolve) =>
      child.once('close', (code, signal) => resolve(this.onClose(code, signal))),
    );
    child.once('error', (err) =>
      this.fail(`cannot run ${this.options.binary ?? collectorBinaryPath()}: ${err.message}`),
    );
    pipes.stdin.on('error', () => {}); // a dead loader is reported by 'close', with its stderr
    pipes.frames.on('data', (chunk: Buffer) => this.onFrames(chunk));
    createInterface({ input: pipes.stderr }).on('line', (line) => this.onStderr(line));
  }

  private onStderr(line: string): void {
    this.stderrTail.push(line);
    if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
    if (this.options.onDiagnostic) this.options.onDiagnostic(line);
    else process.stderr.write(`${line}\n`);
  }

  private onFrames(chunk: Buffer): void {
    if (this.failure) return;
    try {
      for (const frame of this.decoder.push(chunk)) {
        if (frame.kind === 'health') this.onHealth(frame.health);
        else if (frame.kind === 'configAck') this.onAck(frame.ack);
        else if (this.clockOffsetNs === null)
          throw new Error('record before the first health frame');
        else this.options.onRecord?.(toTcprtRecord(frame.record, this.clockOffsetNs));
      }
    } catch (err) {
      this.fail(`collector stream: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private onHealth(health: CollectorHealth): void {
    this.clockOffsetNs = health.realtimeMinusMonotonicNs;
    if (!this.collector) this.onAttached(health);
    this.options.onHealth?.(health);
  }

  private onAttached(health: CollectorHealth): void {
    this.collector = {
      attached: health,
      pid: this.child.pid ?? 0,
      applyConfig: (config) =>
        this.command((id) => rulesCommand(id, config)).catch((err: Error) => {
          throw err instanceof CommandRefusedError ? new RulesRefusedError(err.message) : err;
        }),
      deactivate: () => this.command((id) => `deactivate ${id}\n`),
      activate: () => this.command((id) => `activate ${id}\n`),
      print: (line) =>
        line.includes('\n')
          ? Promise.reject(new Error('print takes a single line'))
          : this.command((id) => `print ${id} ${line}\n`),
      setRecordFrames: (on) => this.command((id) => `record-frames ${id} ${on ? 1 : 0}\n`),
      stop: () => this.stop(),
    };
    const collector = this.collector;
    collector.applyConfig(this.options.config).then(
      () => {
        clearTimeout(this.attachTimer);
        this.started = true;
        this.resolveStart(collector);
      },
      (err: Error) => {
        this.initialRulesRefused = err instanceof RulesRefusedError;
        this.fail(`the initial rules were refused: ${err.message}`);
      },
    );
  }

  private onAck(ack: ConfigAck): void {
    const pending = this.pendingAcks.get(ack.id);
    if (!pending) return;
    this.pendingAcks.delete(ack.id);
    if (ack.error === 0) pending.resolve();
    else pending.reject(new CommandRefusedError(ack.message || `error ${ack.error}`));
  }

  private command(line: (id: number) => string): Promise<void> {
    if (this.failure || this.stopRequested)
      return Promise.reject(new Error('the collector is not running'));
    const id = this.nextCommandId++;
    return new Promise<void>((resolve, reject) => {
      this.pendingAcks.set(id, { resolve, reject });
      this.pipes.stdin.write(line(id));
    });
  }

  /** Ends the loader after an error; the error is reported through start or onExit. */
  private fail(reason: string): void {
    if (this.failure) return;
    this.failure = reason;
    void this.terminate();
  }

  private async stop(): Promise<void> {
    this.stopRequested = true;
    await this.terminate();
  }

  /** SIGTERM lets the loader detach and exit; SIGKILL if it has not after STOP_TIMEOUT_MS. */
  private async terminate(): Promise<void> {
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  private onClose(code: number | null, signal: NodeJS.Signals | null): void {
    clearTimeout(this.attachTimer);
    const requested = this.stopRequested && !this.failure;
    const clean = requested && code === 0;
    const error = clean
      ? undefined
      : (this.failure ?? `the collector exited (${code ?? signal})`) +
        (this.stderrTail.length ? `:\n${this.stderrTail.join('\n')}` : '');
    for (const pending of this.pendingAcks.values())
      pending.reject(new Error(error ?? 'the collector stopped'));
    this.pendingAcks.clear();
    if (!this.started) {
      const reason = error ?? 'the collector exited before attaching';
      this.rejectStart(
        this.initialRulesRefused
          ? new RulesRefusedError(reason)
          : new CollectorUnavailableError(reason),
      );
      return;
    }
    this.options.onExit?.({ code, signal, requested, ...(error ? { error } : {}) });
  }
}
