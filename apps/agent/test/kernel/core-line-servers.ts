import { spawn } from 'node:child_process';
import path from 'node:path';
import type { LineServerOptions } from './core-line-server';
import { makeRealtime } from './core-priority';

const AGENT_DIR = path.resolve(import.meta.dirname, '../..');
const MAIN = path.resolve(import.meta.dirname, 'core-line-server-main.ts');

export interface LineServers {
  close(): Promise<void>;
}

/** Runs line servers in a real-time child process; resolves once all of them listen. */
export async function startLineServers(options: LineServerOptions[]): Promise<LineServers> {
  // cwd: where `tsx` resolves from.
  const args = ['--import', 'tsx', MAIN, JSON.stringify(options)];
  const child = spawn(process.execPath, args, {
    stdio: ['pipe', 'pipe', 'inherit'],
    cwd: AGENT_DIR,
  });
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
  // Only now: start-up work (loading modules) must not run under real-time scheduling.
  makeRealtime(child.pid ?? 0);
  return {
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}
