import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const AGENT_DIR = path.resolve(import.meta.dirname, '../..');
const MAIN = path.resolve(import.meta.dirname, 'core-pinned-peer-main.ts');

export interface PinnedPeer {
  /** Lines printed so far. */
  readonly lines: readonly string[];
  stop(): Promise<void>;
}

/**
 * Runs core-pinned-peer-main.ts on one CPU (`taskset`); resolves once it has printed `until`.
 */
export async function startPinnedPeer(
  cpu: number,
  args: string[],
  until: string,
): Promise<PinnedPeer> {
  const child: ChildProcess = spawn(
    'taskset',
    ['-c', String(cpu), process.execPath, '--import', 'tsx', MAIN, ...args],
    { stdio: ['pipe', 'pipe', 'inherit'], cwd: AGENT_DIR },
  );
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      lines.push(...text.split('\n').filter((line) => line !== ''));
      if (lines.includes(until)) resolve();
    });
    child.once('close', (code) =>
      reject(new Error(`pinned peer exited (${code}) before "${until}"`)),
    );
    child.once('error', reject);
  });
  return {
    lines,
    async stop() {
      child.stdin?.end();
      if (child.exitCode === null) child.kill();
      await exited;
    },
  };
}
