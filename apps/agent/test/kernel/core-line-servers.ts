import { spawn } from 'node:child_process';
import path from 'node:path';
import type { LineServerOptions } from './core-line-server';
import { highPriorityArgv } from './core-priority';

const AGENT_DIR = path.resolve(import.meta.dirname, '../..');
const MAIN = path.resolve(import.meta.dirname, 'core-line-server-main.ts');

export interface LineServers {
  close(): Promise<void>;
}

/** Runs line servers in a high-priority child process; resolves once all of them listen. */
export async function startLineServers(options: LineServerOptions[]): Promise<LineServers> {
  const [command = '', ...args] = highPriorityArgv([
    process.execPath,
    '--import',
    'tsx',
    MAIN,
    JSON.stringify(options),
  ]);
  // cwd: where `tsx` resolves from.
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'], cwd: AGENT_DIR });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      if (text.includes('ready')) resolve();
    });
    child.once('close', (code) =>
      reject(new Error(`line servers exited (${code}) before listening`)),
    );
    child.once('error', reject);
  });
  return {
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}
