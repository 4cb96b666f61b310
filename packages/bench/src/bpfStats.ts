import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { runCommand } from '@tcprt/testkit/command';
import { REPO_ROOT } from '@tcprt/testkit/paths';

const EMPTY_PROBE = path.join(REPO_ROOT, 'packages/bpf/build/tcprt-empty-probe');

const STATS_SYSCTL = '/proc/sys/kernel/bpf_stats_enabled';

export interface ProgramRunTime {
  id: number;
  name: string;
  runTimeNs: number;
  runCount: number;
}

interface BpftoolProgram {
  id: number;
  name?: string;
  run_time_ns?: number;
  run_cnt?: number;
}

async function listPrograms(): Promise<BpftoolProgram[]> {
  const { stdout } = await runCommand(['bpftool', 'prog', 'show', '--json']);
  return JSON.parse(stdout) as BpftoolProgram[];
}

/**
 * Turns on the kernel's per-program run-time accounting (a few ns per program run, machine
 * wide) and returns how to restore the previous setting.
 */
export async function enableBpfStats(): Promise<() => Promise<void>> {
  const previous = (await readFile(STATS_SYSCTL, 'utf8')).trim();
  await writeFile(STATS_SYSCTL, '1');
  return () => writeFile(STATS_SYSCTL, previous);
}

/** Ids of the tcprt programs loaded right now (another collector's included). */
export async function tcprtProgramIds(): Promise<Set<number>> {
  return new Set(
    (await listPrograms()).filter((p) => p.name?.startsWith('tcprt')).map((p) => p.id),
  );
}

/** Run time and run count so far of each program in `ids`. */
export async function programRunTimes(ids: Set<number>): Promise<Map<number, ProgramRunTime>> {
  const runTimes = new Map<number, ProgramRunTime>();
  for (const p of await listPrograms()) {
    if (!ids.has(p.id)) continue;
    runTimes.set(p.id, {
      id: p.id,
      name: p.name ?? String(p.id),
      runTimeNs: p.run_time_ns ?? 0,
      runCount: p.run_cnt ?? 0,
    });
  }
  return runTimes;
}

export interface EmptyProbe {
  programId: number;
  stop(): Promise<void>;
}

/**
 * Attaches an empty tp_btf/tcp_probe program (packages/bpf, tcprt-empty-probe). With accounting
 * on, its run time per run is what the accounting adds to every program run: the clock read
 * that falls inside the measured interval.
 */
export async function startEmptyProbe(): Promise<EmptyProbe> {
  const child = spawn(EMPTY_PROBE, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const [line] = (await Promise.race([once(createInterface(child.stdout), 'line'), exited])) as [
    string | number | null,
  ];
  const programId = Number(line);
  if (typeof line !== 'string' || !Number.isInteger(programId)) {
    throw new Error(`${EMPTY_PROBE} did not attach (exit ${String(line)})`);
  }
  return {
    programId,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

/** `after − before` per program. */
export function runTimeSpent(
  before: Map<number, ProgramRunTime>,
  after: Map<number, ProgramRunTime>,
): ProgramRunTime[] {
  return [...after].map(([id, a]) => ({
    id,
    name: a.name,
    runTimeNs: a.runTimeNs - (before.get(id)?.runTimeNs ?? 0),
    runCount: a.runCount - (before.get(id)?.runCount ?? 0),
  }));
}
