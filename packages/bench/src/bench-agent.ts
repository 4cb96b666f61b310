/*
 * A real agent process (`tcprt agent` on a fresh temporary config and data directory) fed by
 * ingest-fake-loader.mjs in place of the loader, for the benchmarks that time the agent itself.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Status } from '@tcprt/schema';

const FAKE_LOADER = path.join(import.meta.dirname, 'ingest-fake-loader.mjs');
/** The local port the fake loader's records carry. */
export const BENCH_PORT = 8080;
const START_POLL_MS = 100;
const START_TIMEOUT_MS = 30_000;

export interface BenchAgentOptions {
  /** The agent command (bin/tcprt or another build's). */
  command: string;
  configYaml: string;
  apiPort: number;
  /** Records the fake loader writes in all. */
  records: number;
  /** Records/s; 0: as fast as the agent reads them. */
  rate: number;
}

export interface BenchAgent {
  /** The agent's node process (not the tsx wrapper). */
  pid: number;
  url: string;
  status(): Promise<Status | null>;
  stop(): Promise<void>;
}

export function cpuTicks(pid: number, tid?: number): number {
  const file = tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`;
  const fields = readFileSync(file, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

export function memoryKiB(pid: number, key: 'VmHWM' | 'VmRSS'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${key}:`));
  return Number(line?.replace(/\D+/g, '') ?? 0);
}

export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

export async function startBenchAgent(options: BenchAgentOptions): Promise<BenchAgent> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tcprt-bench-agent-'));
  const configPath = path.join(dir, 'tcprt.yaml');
  const dataDir = path.join(dir, 'data');
  writeFileSync(configPath, options.configYaml);
  const url = `http://127.0.0.1:${options.apiPort}`;
  const child = spawn(
    options.command,
    [
      'agent',
      '--config',
      configPath,
      '--data-dir',
      dataDir,
      '--listen',
      `127.0.0.1:${options.apiPort}`,
    ],
    {
      env: {
        ...process.env,
        TCPRT_COLLECTOR: FAKE_LOADER,
        BENCH_RECORDS: String(options.records),
        BENCH_RATE: String(options.rate),
        BENCH_PORT: String(BENCH_PORT),
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const closed = new Promise((resolve) => child.once('close', resolve));
  const stop = async () => {
    child.kill('SIGTERM');
    await closed;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // The agent advertises its own pid (the node process under the tsx wrapper).
    const endpointFile = path.join(dataDir, 'agent.json');
    for (let waited = 0; !existsSync(endpointFile); waited += START_POLL_MS) {
      if (waited > START_TIMEOUT_MS) throw new Error('the agent did not start');
      await sleep(START_POLL_MS);
    }
    const pid = (JSON.parse(readFileSync(endpointFile, 'utf8')) as { pid: number }).pid;
    const status = async () => {
      try {
        const res = await fetch(`${url}/api/status`);
        return res.ok ? ((await res.json()) as Status) : null;
      } catch {
        return null;
      }
    };
    return { pid, url, status, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
