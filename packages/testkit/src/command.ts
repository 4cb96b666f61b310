import { spawn } from 'node:child_process';

export interface CommandOptions {
  /** Run inside this network namespace (`ip netns exec`). */
  netns?: string;
  /** Written to the command's stdin, which is then closed. */
  input?: string;
  /** Killed (SIGKILL) after this long; the call then fails. */
  timeoutMs?: number;
  /** Resolve with a non-zero exit code instead of failing. */
  allowFailure?: boolean;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  elapsedMs: number;
}

/** `argv` prefixed so that it runs inside `netns` when one is given. */
export function inNetns(netns: string | undefined, argv: string[]): string[] {
  return netns ? ['ip', 'netns', 'exec', netns, ...argv] : argv;
}

/** `argv` prefixed so that it runs on the CPUs `cpus` (a `taskset -c` list) when given. */
export function pinnedTo(cpus: string | undefined, argv: string[]): string[] {
  return cpus ? ['taskset', '-c', cpus, ...argv] : argv;
}

/** Runs a command to completion and captures its output; fails with the output on a non-zero exit. */
export function runCommand(argv: string[], options: CommandOptions = {}): Promise<CommandResult> {
  const full = inNetns(options.netns, argv);
  const [file, ...args] = full;
  if (!file) throw new Error('runCommand: empty command');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${full.join(' ')}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const elapsedMs = performance.now() - started;
      const exitCode = code ?? 128;
      if (timedOut) {
        reject(new Error(`${full.join(' ')}: killed after ${timeoutMs} ms\n${stderr}`));
      } else if (exitCode !== 0 && !options.allowFailure) {
        reject(new Error(`${full.join(' ')}: exit ${code ?? signal}\n${stderr}${stdout}`));
      } else {
        resolve({ stdout, stderr, exitCode, elapsedMs });
      }
    });
    child.stdin.on('error', () => {}); // a command that exits without reading its input is not an error here
    child.stdin.end(options.input ?? '');
  });
}
