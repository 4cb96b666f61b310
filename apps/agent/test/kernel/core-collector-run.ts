import {
  tcprtConfigSchema,
  type TcprtConfig,
  type TcprtConfigInput,
  type TcprtRecord,
} from '@tcprt/schema';
import { readdir, readFile } from 'node:fs/promises';
import {
  startCollector,
  type Collector,
  type CollectorExit,
  type CollectorHealth,
} from '../../src/collector';
import type { RingPath } from '../../src/collector/abi';
import { runCommand } from '@tcprt/testkit/command';
import { waitUntil } from '@tcprt/testkit/waitUntil';

/** The collector module driven directly, with everything it reported collected for assertions. */
export interface CollectorRun {
  collector: Collector;
  records: TcprtRecord[];
  healths: CollectorHealth[];
  diagnostics: string[];
  exits: CollectorExit[];
  waitFor(what: string, check: () => boolean, timeoutMs?: number): Promise<void>;
}

export function config(input: TcprtConfigInput): TcprtConfig {
  return tcprtConfigSchema.parse(input);
}

export async function runCollector(
  input: TcprtConfigInput,
  loaderArgs: string[] = [],
): Promise<CollectorRun> {
  const records: TcprtRecord[] = [];
  const healths: CollectorHealth[] = [];
  const diagnostics: string[] = [];
  const exits: CollectorExit[] = [];
  const collector = await startCollector({
    config: config(input),
    loaderArgs,
    onRecord: (r) => records.push(r),
    onHealth: (h) => healths.push(h),
    onDiagnostic: (line) => diagnostics.push(line),
    onExit: (exit) => exits.push(exit),
  });
  return {
    collector,
    records,
    healths,
    diagnostics,
    exits,
    waitFor: (what, check, timeoutMs = 10_000) => waitUntil(what, check, timeoutMs),
  };
}

const FORCE_DIRECT_ENV = 'TCPRT_FORCE_NO_ATOMICS';

/**
 * runCollector on one build of the kernel programs (packages/bpf/src/bpf/ring.h): 'direct' is
 * the build without BPF atomics that kernels before 5.12 get, forced with TCPRT_FORCE_NO_ATOMICS=1.
 */
export async function runCollectorOn(
  ringPath: RingPath,
  input: TcprtConfigInput,
): Promise<CollectorRun> {
  const before = process.env[FORCE_DIRECT_ENV];
  // The loader inherits the environment when it is spawned.
  if (ringPath === 'direct') process.env[FORCE_DIRECT_ENV] = '1';
  else delete process.env[FORCE_DIRECT_ENV];
  try {
    return await runCollector(input);
  } finally {
    if (before === undefined) delete process.env[FORCE_DIRECT_ENV];
    else process.env[FORCE_DIRECT_ENV] = before;
  }
}

/** BPF programs a process holds open, from its fd info (prog and link fds name their program). */
export async function programIdsHeldBy(pid: number): Promise<number[]> {
  const fds = await readdir(`/proc/${pid}/fdinfo`);
  const ids = new Set<number>();
  for (const fd of fds) {
    const info = await readFile(`/proc/${pid}/fdinfo/${fd}`, 'utf8').catch(() => '');
    const id = /^prog_id:\s*(\d+)$/m.exec(info)?.[1];
    if (id) ids.add(Number(id));
  }
  return [...ids];
}

/** Names of the programs the process has attached: the programs of the BPF links it holds. */
export async function linkedProgramNamesHeldBy(pid: number): Promise<string[]> {
  const fds = await readdir(`/proc/${pid}/fdinfo`);
  const names: string[] = [];
  for (const fd of fds) {
    const info = await readFile(`/proc/${pid}/fdinfo/${fd}`, 'utf8').catch(() => '');
    const id = /^link_id:/m.test(info) ? /^prog_id:\s*(\d+)$/m.exec(info)?.[1] : undefined;
    if (!id) continue;
    const { stdout } = await runCommand(['bpftool', '-j', 'prog', 'show', 'id', id]);
    names.push((JSON.parse(stdout) as { name: string }).name);
  }
  return names.sort();
}

/** Ids of every BPF program loaded in the kernel. */
export async function loadedProgramIds(): Promise<Set<number>> {
  const { stdout } = await runCommand(['bpftool', '-j', 'prog', 'show']);
  return new Set((JSON.parse(stdout) as { id: number }[]).map((p) => p.id));
}

/**
 * Waits until none of `ids` is loaded any more. Attachments are links owned by the loader's file
 * descriptors: the kernel frees them with the process, however it ends, after a grace period.
 */
export async function waitForProgramsFreed(ids: number[]): Promise<void> {
  await waitUntil(
    'the programs to be freed',
    async () => {
      const loaded = await loadedProgramIds();
      return ids.every((id) => !loaded.has(id));
    },
    10_000,
  );
}
