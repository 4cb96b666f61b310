import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  dumpConfigYaml,
  parseLogLine,
  tcprtConfigSchema,
  type TcprtConfigInput,
  type TcprtRecord,
} from '@tcprt/schema';
import { TCPRT_BIN } from './paths';
import { makeTempDir } from './tempDir';
import { waitUntil } from './waitUntil';

// Printed on stderr by `tcprt collect` once its programs are attached and the rules applied
// (the loader's own "tcprt-collector: attached" line comes before the rules are in place).
const READY_PATTERN = /^tcprt collect: attached/m;
const READY_TIMEOUT_MS = 30_000;

// Stats lines start with a unix time, record lines with their log version (V6, V7).
const isRecordLine = (line: string) => line.startsWith('V');

function parseRecordLine(line: string): TcprtRecord {
  try {
    return parseLogLine(line);
  } catch (err) {
    throw new Error(
      `collector printed an invalid record line ${JSON.stringify(line)}: ${(err as Error).message}`,
    );
  }
}

export interface CollectRun {
  /** Every stdout line so far (records and stats lines), without the newline. */
  lines(): readonly string[];
  /**
   * The record lines so far, parsed. A line that looks like a record (starts with V) but does not
   * parse fails the call, naming the line: the collector's output format is under test too.
   */
  records(): readonly TcprtRecord[];
  /** Everything printed on stderr so far. */
  stderr(): string;
  /** Process id of `tcprt collect` (the root of the collector's process tree). */
  pid: number;
  /** The tcprt.yaml it runs with: rewrite it to test hot reload. */
  configFile: string;
  /** Waits until `predicate` holds for the stdout lines so far. */
  waitForLines(
    what: string,
    predicate: (lines: readonly string[]) => boolean,
    timeoutMs?: number,
  ): Promise<void>;
  /** SIGTERM, waits for exit; fails if the collector exited with an error. Safe to call twice. */
  stop(): Promise<void>;
}

export interface CollectOptions {
  /**
   * Send stdout to a file that is read only when lines(), records() or waitForLines() are called,
   * instead of a pipe read as the lines come: a benchmark then spends no CPU on the output while
   * it measures.
   */
  stdoutToFile?: boolean;
}

/** Takes stdout text in pieces and keeps the complete lines. */
function lineCollector() {
  const lines: string[] = [];
  let partial = '';
  return {
    lines,
    push(chunk: string) {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) lines.push(line); // no spread: a file read may bring 10^5 lines
    },
  };
}

/** Whatever was appended to `file` since the last call (file: the collector's stdout). */
function fileTail(file: string): () => string {
  let offset = 0;
  let pending = Buffer.alloc(0);
  return () => {
    const fd = openSync(file, 'r');
    const chunks = [pending];
    try {
      for (let n; ; offset += n) {
        const chunk = Buffer.alloc(1 << 20);
        n = readSync(fd, chunk, 0, chunk.length, offset);
        if (n === 0) break;
        chunks.push(chunk.subarray(0, n));
      }
    } finally {
      closeSync(fd);
    }
    pending = Buffer.concat(chunks);
    // Only up to the last newline: a multi-byte character is never cut.
    const end = pending.lastIndexOf(10) + 1;
    const text = pending.subarray(0, end).toString('utf8');
    pending = pending.subarray(end);
    return text;
  };
}

/**
 * Runs `tcprt collect` (root) with `config` written to a private tcprt.yaml, resolving once the
 * collector reports that its programs are attached.
 */
export async function startCollect(
  config: TcprtConfigInput,
  options: CollectOptions = {},
): Promise<CollectRun> {
  const configYaml = dumpConfigYaml(tcprtConfigSchema.parse(config));
  const dir = await makeTempDir('collect');
  const configFile = path.join(dir.path, 'tcprt.yaml');
  await writeFile(configFile, configYaml);
  const stdoutFile = path.join(dir.path, 'stdout.log');
  const stdoutFd = options.stdoutToFile ? openSync(stdoutFile, 'w') : undefined;
  const child = spawn(TCPRT_BIN, ['collect', '--config', configFile], {
    stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'],
    detached: true, // its own process group, for the SIGKILL fallback in stop()
  });
  if (stdoutFd !== undefined) closeSync(stdoutFd); // the child has its own copy
  const output = lineCollector();
  const readNewOutput = stdoutFd !== undefined ? fileTail(stdoutFile) : undefined;
  const lines = () => {
    if (readNewOutput) output.push(readNewOutput());
    return output.lines;
  };
  const records: TcprtRecord[] = [];
  let parsedLines = 0;
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const closed = new Promise<void>((resolve) =>
    child.once('close', (code, signal) => {
      exit = { code, signal };
      resolve();
    }),
  );
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));

  const describeExit = () =>
    spawnError
      ? `could not start ${TCPRT_BIN}: ${spawnError.message}`
      : `tcprt collect exited (${exit?.code ?? exit?.signal}):\n${stderr}`;
  // The collector has its own process group, so a Ctrl-C of the test run does not reach it:
  // end the group when this process exits without having stopped it.
  const endGroupOnExit = () => {
    if (!exit && child.pid) process.kill(-child.pid, 'SIGTERM');
  };
  process.on('exit', endGroupOnExit);
  let stopped = false;
  const stop = async () => {
    if (!stopped) {
      stopped = true;
      process.off('exit', endGroupOnExit);
      if (!exit) {
        // SIGTERM to tsx only: it passes the signal on to the collector, which detaches.
        child.kill('SIGTERM');
        // A collector that does not stop in time is killed with its whole process group (tsx,
        // node, the loader), so no programs stay attached behind the next test's back.
        const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000);
        await closed;
        clearTimeout(timer);
      }
      await dir.remove();
    }
    // The collector exits 0 on SIGTERM; anything else is a failure the test must see.
    if (exit && exit.code !== 0) throw new Error(describeExit());
  };

  try {
    await waitUntil(
      'tcprt collect to attach',
      () => {
        if (exit || spawnError) throw new Error(describeExit());
        return READY_PATTERN.test(stderr);
      },
      READY_TIMEOUT_MS,
    );
  } catch (err) {
    // An exit already put stderr into the message; a time-out has not.
    const timedOut = !exit && !spawnError;
    await stop().catch(() => {});
    throw timedOut ? new Error(`${(err as Error).message}; stderr so far:\n${stderr}`) : err;
  }

  return {
    lines,
    records() {
      // Parsed once per line: waitForLines predicates call this on every poll.
      for (const all = lines(); parsedLines < all.length; parsedLines++) {
        const line = all[parsedLines]!;
        if (isRecordLine(line)) records.push(parseRecordLine(line));
      }
      return records;
    },
    stderr: () => stderr,
    pid: child.pid!,
    configFile,
    async waitForLines(what, predicate, timeoutMs = 10_000) {
      await waitUntil(
        what,
        () => {
          if (predicate(lines())) return true;
          if (exit) throw new Error(`${describeExit()}\nwhile waiting for ${what}`);
          return false;
        },
        timeoutMs,
      );
    },
    stop,
  };
}
