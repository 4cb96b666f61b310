/*
 * Throughput cost of tcprt at saturation: nginx + wrk and redis-server + redis-benchmark, each
 * measured in three modes interleaved round by round in one run:
 *   off  — no collector;
 *   idle — `tcprt collect` attached but tracking only a port without traffic (the price of the
 *          hooks that run for every socket and packet);
 *   on   — `tcprt collect` tracking the server ports (every request becomes a record).
 * Prints requests/s per round, the idle/off and on/off ratios, the records/s the collector
 * printed, tasks without a record (lost) and the CPU time of the collector's processes.
 *
 * The kernel's per-program accounting (bpf_stats_enabled) adds its own clock reads to every
 * program run, so it stays off while throughput is measured; one extra idle/on pass at the end
 * turns it on to print where the eBPF time goes. That pass also runs an empty tcp_probe program,
 * whose run time is the accounting's own share of every run, and prints the eBPF time with and
 * without it. From those figures the summary prints a CPU model of the cost (extra CPU per
 * request ÷ the machine's CPU per request without tcprt), which the round-to-round noise of this
 * shared machine does not blur.
 *
 * Last, a twins pass (twins.ts): two servers of each kind loaded at the same time while the
 * collector tracks one of them, then the other. The ratio of requests they answered is the cost of
 * tracking (on versus idle) without the drift between rounds.
 *
 * `--nginx-mode http` tracks the nginx ports in http mode (request line and status parsed from the
 * payload, V7 records) instead of default mode; redis stays in default mode either way.
 *
 * On 2 cores the servers are pinned to CPU 0 and the load generators to CPU 1 (unless --no-pin);
 * the collector is not pinned, so its user-space work competes with one of them as it would
 * in production. This script is not part of the product's cost: the collector writes its lines
 * to a file, which is read and parsed only after each load.
 */
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { portModeSchema, type PortMode } from '@tcprt/schema';
import { startCollect, type CollectRun } from '@tcprt/testkit/collect';
import { freePort } from '@tcprt/testkit/freePort';
import { startNginx } from '@tcprt/testkit/nginx';
import { startRedis } from '@tcprt/testkit/redis';
import {
  enableBpfStats,
  programRunTimes,
  runTimeSpent,
  startEmptyProbe,
  tcprtProgramIds,
  type EmptyProbe,
  type ProgramRunTime,
} from './bpfStats';
import { cpuSecondsSpent, processTreeCpuSeconds } from './processCpu';
import { formatCount, formatRange, mean, median } from './summary';
import { nginxTwins, redisTwins, type TwinLoad } from './twins';
import {
  redisBenchmarkWorkload,
  wrkWorkload,
  type LoadOptions,
  type LoadResult,
  type Workload,
} from './workloads';

const SERVER_CPUS = '0';
const LOAD_CPUS = '1';
const SETTLE_MS = 1000;
/*
 * `tcprt collect` is a Node process: about 17 s after it starts, V8 compacts its heap once
 * (0.1–0.3 s of CPU, seen with --trace-gc, with or without traffic). That is start-up work, not
 * a cost per request, so a collector is measured only from this long after its start.
 */
const COLLECTOR_STARTUP_MS = 20_000;
const RECORDS_TIMEOUT_MS = 30_000;
const MODES = ['off', 'idle', 'on'] as const;
type Mode = (typeof MODES)[number];

interface Options extends LoadOptions {
  rounds: number;
  twinPairs: number;
  /** Mode of the nginx ports' rules (--nginx-mode). */
  nginxMode: PortMode;
}

/** Ports whose rule is not in default mode (the nginx ports with --nginx-mode), by port. */
const portModes = new Map<number, PortMode>();

interface Measurement extends LoadResult {
  /** R records on the workload's port (mode on only). */
  records?: number;
  /**
   * CPU seconds used while the load ran (modes idle and on): by the collector's processes, by
   * command name, plus 'consumer' for this script (which leaves the collector's output alone
   * until the load has ended).
   */
  cpuSeconds?: Map<string, number>;
  /** Run time of the collector's eBPF programs while the load ran (profile pass only). */
  bpf?: ProgramRunTime[];
  /** Run time per run of the empty program: the accounting's own share (profile pass only). */
  accountingNsPerRun?: number;
}

/** A running collector and the ids of its own eBPF programs. */
interface Collector {
  run: CollectRun;
  programIds: Set<number>;
  /** Kernel run-time accounting is on: read the programs' run times. */
  profile: boolean;
  /** Attached in the profile pass only. */
  emptyProbe?: EmptyProbe;
}

const CONSUMER = 'consumer';

function usage(message: string): never {
  console.error(
    `overhead: ${message}\n` +
      'usage: scripts/bench/overhead [--rounds N] [--twin-pairs N] [--seconds S] [--redis-requests N] ' +
      '[--connections C] [--nginx-mode default|http] [--no-pin]',
  );
  process.exit(2);
}

function positiveInt(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    usage(`--${name} must be a positive integer, got '${text}'`);
  }
  return value;
}

function readOptions(): Options {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        rounds: { type: 'string' },
        seconds: { type: 'string' },
        'redis-requests': { type: 'string' },
        connections: { type: 'string' },
        'no-pin': { type: 'boolean' },
        'twin-pairs': { type: 'string' },
        'nginx-mode': { type: 'string' },
      },
    }));
  } catch (err) {
    usage((err as Error).message);
  }
  const nginxMode = portModeSchema.safeParse(values['nginx-mode'] ?? 'default');
  if (!nginxMode.success || nginxMode.data === 'https')
    usage(`--nginx-mode must be default or http, got '${values['nginx-mode']}'`);
  return {
    nginxMode: nginxMode.data,
    rounds: positiveInt('rounds', values.rounds, 4),
    twinPairs: positiveInt('twin-pairs', values['twin-pairs'], 3),
    seconds: positiveInt('seconds', values.seconds, 5),
    redisRequests: positiveInt('redis-requests', values['redis-requests'], 200_000),
    connections: positiveInt('connections', values.connections, 8),
    loadCpus: values['no-pin'] ? undefined : LOAD_CPUS,
  };
}

/** Waits for every connection of the load to close (records are written at close) and counts R records. */
async function countRecords(collect: CollectRun, workload: Workload): Promise<number> {
  const onPort = () => collect.records().filter((r) => r.local.port === workload.port);
  await collect.waitForLines(
    `${workload.connections} E records on port ${workload.port}`,
    () => onPort().filter((r) => r.type === 'E').length >= workload.connections,
    RECORDS_TIMEOUT_MS,
  );
  return onPort().filter((r) => r.type === 'R').length;
}

async function measure(workload: Workload, collector: Collector | undefined): Promise<Measurement> {
  await sleep(SETTLE_MS);
  if (!collector) return workload.run();
  const emptyId = collector.emptyProbe?.programId;
  const profiled = new Set([...collector.programIds, ...(emptyId === undefined ? [] : [emptyId])]);
  const treeBefore = await processTreeCpuSeconds(collector.run.pid);
  const bpfBefore = collector.profile ? await programRunTimes(profiled) : undefined;
  const consumerBefore = process.cpuUsage();
  const result = await workload.run();
  const consumer = process.cpuUsage(consumerBefore);
  const spent = bpfBefore && runTimeSpent(bpfBefore, await programRunTimes(profiled));
  const cpuSeconds = cpuSecondsSpent(treeBefore, await processTreeCpuSeconds(collector.run.pid));
  cpuSeconds.set(CONSUMER, (consumer.user + consumer.system) / 1e6);
  const empty = spent?.find((p) => p.id === emptyId);
  return {
    ...result,
    cpuSeconds,
    bpf: spent?.filter((p) => p !== empty),
    accountingNsPerRun: empty?.runCount ? empty.runTimeNs / empty.runCount : undefined,
  };
}

async function startCollector(ports: number[], profile: boolean): Promise<Collector> {
  const loadedBefore = await tcprtProgramIds();
  const started = performance.now();
  const run = await startCollect(
    { 'per-port': ports.map((port) => ({ port, mode: portModes.get(port) ?? 'default' })) },
    { stdoutToFile: true },
  );
  await sleep(Math.max(0, COLLECTOR_STARTUP_MS - (performance.now() - started)));
  // Other collectors may be running (an agent, tests): ours are the programs that are new.
  const programIds = new Set([...(await tcprtProgramIds())].filter((id) => !loadedBefore.has(id)));
  const emptyProbe = profile ? await startEmptyProbe().catch(stopOnError(run)) : undefined;
  return { run, programIds, profile, emptyProbe };
}

const stopOnError =
  (run: CollectRun) =>
  async (err: unknown): Promise<never> => {
    await run.stop();
    throw err;
  };

/** eBPF ns per request as accounted, or without the accounting's own share of each run. */
const bpfNsPerRequest = (m: Measurement, withoutAccounting = false) =>
  (m.bpf ?? []).reduce(
    (sum, p) =>
      sum + p.runTimeNs - (withoutAccounting ? p.runCount * (m.accountingNsPerRun ?? 0) : 0),
    0,
  ) / m.requests;

const totalSeconds = (cpu: Map<string, number>) => [...cpu.values()].reduce((a, b) => a + b, 0);

async function runRound(
  workloads: Workload[],
  mode: Mode,
  unusedPort: number,
  profile = false,
): Promise<Measurement[]> {
  const collector =
    mode === 'off'
      ? undefined
      : await startCollector(mode === 'on' ? workloads.map((w) => w.port) : [unusedPort], profile);
  try {
    const measurements: Measurement[] = [];
    for (const workload of workloads) {
      const measurement = await measure(workload, collector);
      if (mode === 'on') measurement.records = await countRecords(collector!.run, workload);
      measurements.push(measurement);
    }
    return measurements;
  } finally {
    await collector?.emptyProbe?.stop();
    await collector?.run.stop();
    const lossLines =
      collector?.run
        .stderr()
        .split('\n')
        .filter((l) => /lost|not tracked/i.test(l)) ?? [];
    for (const line of lossLines) console.log(`    collector: ${line}`);
  }
}

function describe(m: Measurement): string {
  const parts = [`${formatCount(m.requestsPerSec).padStart(9)} req/s`];
  if (m.records !== undefined) {
    const lost = Math.max(0, m.requests - m.records);
    parts.push(
      `records ${formatCount(m.records)} (${formatCount(m.records / m.seconds)}/s), lost ${formatCount(lost)}`,
    );
  }
  if (m.cpuSeconds !== undefined) {
    const shares = [...m.cpuSeconds]
      .filter(([, seconds]) => seconds > 0)
      .map(([command, seconds]) => `${command} ${seconds.toFixed(2)}`);
    const coreShare = Math.round((totalSeconds(m.cpuSeconds) / m.seconds) * 100);
    parts.push(`CPU s: ${shares.join(', ') || '0'} (${coreShare}% of a core)`);
  }
  if (m.bpf !== undefined) {
    const programs = m.bpf.map(
      (p) =>
        `${p.name} ${(p.runCount / m.requests).toFixed(1)}×${p.runCount ? Math.round(p.runTimeNs / p.runCount) : 0}`,
    );
    parts.push(
      `eBPF ${Math.round(bpfNsPerRequest(m))} ns/request (runs/request×ns: ${programs.join(', ')}; ` +
        `accounting ${Math.round(m.accountingNsPerRun ?? 0)} ns/run)`,
    );
  }
  return parts.join('  ');
}

const PROFILED_MODES = ['idle', 'on'] as const;
type ProfiledMode = (typeof PROFILED_MODES)[number];

/** CPU seconds of the collector's own processes (not this script) per request, in µs. */
function collectorCpuUsPerRequest(measurements: Measurement[]): number {
  let seconds = 0;
  let requests = 0;
  for (const m of measurements) {
    for (const [command, s] of m.cpuSeconds ?? []) if (command !== CONSUMER) seconds += s;
    requests += m.requests;
  }
  return requests ? (seconds / requests) * 1e6 : 0;
}

function summarize(
  workload: Workload,
  index: number,
  results: Record<Mode, Measurement[][]>,
  profile: Record<ProfiledMode, Measurement[]>,
): string[] {
  const rates = (mode: Mode) => results[mode].map((round) => round[index]!.requestsPerSec);
  const off = rates('off');
  const ratioLine = (mode: Mode) => {
    const ratios = rates(mode).map((rate, round) => rate / off[round]!);
    const cost = (1 - mean(ratios)) * 100;
    return (
      `  ${mode.padEnd(4)} ${formatCount(mean(rates(mode)))} req/s (${formatRange(rates(mode))}), ` +
      `${mode}/off ratio mean ${mean(ratios).toFixed(3)} (cost ${cost.toFixed(1)}%), median ${median(ratios).toFixed(3)}`
    );
  };
  const on = results.on.map((round) => round[index]!);
  const lost = on.reduce((sum, m) => sum + Math.max(0, m.requests - (m.records ?? 0)), 0);
  const requests = on.reduce((sum, m) => sum + m.requests, 0);
  const records = on.reduce((sum, m) => sum + (m.records ?? 0), 0);
  const cpuByCommand = new Map<string, number>();
  for (const m of on) {
    for (const [command, seconds] of m.cpuSeconds ?? []) {
      cpuByCommand.set(command, (cpuByCommand.get(command) ?? 0) + seconds);
    }
  }
  const perRecord = [...cpuByCommand]
    .map(([command, seconds]) => `${command} ${((seconds / records) * 1e6).toFixed(1)}`)
    .join(', ');
  return [
    `${workload.name}:`,
    `  off  ${formatCount(mean(off))} req/s (${formatRange(off)})`,
    ratioLine('idle'),
    ratioLine('on'),
    `  eBPF ns per request (profile pass): idle ${Math.round(bpfNsPerRequest(profile.idle[index]!))}, ` +
      `on ${Math.round(bpfNsPerRequest(profile.on[index]!))}; without the accounting's ` +
      `${Math.round(profile.on[index]!.accountingNsPerRun ?? 0)} ns per run (empty tcp_probe): ` +
      `idle ${Math.round(bpfNsPerRequest(profile.idle[index]!, true))}, ` +
      `on ${Math.round(bpfNsPerRequest(profile.on[index]!, true))}`,
    ...PROFILED_MODES.map((mode) => {
      // At saturation every CPU works for the load, so a request costs all CPUs' time / rate.
      const baseUs = (os.cpus().length * 1e6) / mean(off);
      const bpfUs = bpfNsPerRequest(profile[mode][index]!, true) / 1000;
      const accountedUs = bpfNsPerRequest(profile[mode][index]!) / 1000;
      const userUs = collectorCpuUsPerRequest(results[mode].map((round) => round[index]!));
      return (
        `  CPU model ${mode.padEnd(4)} ${(((bpfUs + userUs) / baseUs) * 100).toFixed(1)}% ` +
        `(eBPF ${bpfUs.toFixed(2)} µs [${accountedUs.toFixed(2)} as accounted] + ` +
        `collector processes ${userUs.toFixed(2)} µs per request, ` +
        `against ${baseUs.toFixed(1)} µs of CPU per request without tcprt)`
      );
    }),
    `  on   records ${formatCount(mean(on.map((m) => (m.records ?? 0) / m.seconds)))}/s, ` +
      `lost ${formatCount(lost)} of ${formatCount(requests)}, ` +
      `CPU µs per record: ${perRecord}`,
  ];
}

/**
 * Tracked ÷ untracked requests, one figure per pair of rounds for each twin load: the first round
 * of a pair tracks one twin, the second the other, and the pair's figure is the geometric mean of
 * the two ratios, so a bias of the machine towards one twin (which one the scheduler favours)
 * cancels out.
 */
async function runTwinPairs(loads: TwinLoad[], pairs: number): Promise<number[][]> {
  const costs = loads.map((): number[] => []);
  for (let pair = 1; pair <= pairs; pair++) {
    const ratios = loads.map((): number[] => []);
    for (const tracked of [0, 1]) {
      const collector = await startCollector(
        loads.map((load) => load.ports[tracked]!),
        false,
      );
      try {
        for (const [i, load] of loads.entries()) {
          await sleep(SETTLE_MS);
          const answered = await load.run();
          const ratio = answered[tracked]! / answered[1 - tracked]!;
          ratios[i]!.push(ratio);
          console.log(
            `twins ${pair} ${load.name.padEnd(22)} tracked :${load.ports[tracked]} ` +
              `${formatCount(answered[tracked]!)}, untracked :${load.ports[1 - tracked]} ` +
              `${formatCount(answered[1 - tracked]!)} requests, ratio ${ratio.toFixed(3)}`,
          );
        }
      } finally {
        await collector.run.stop();
      }
    }
    ratios.forEach(([first, second], i) => costs[i]!.push(Math.sqrt(first! * second!)));
  }
  return costs;
}

function summarizeTwins(load: TwinLoad, ratios: number[]): string {
  return (
    `${load.name} twins (loaded together, one tracked): tracked/untracked median ` +
    `${median(ratios).toFixed(3)} over ${ratios.length} pairs ` +
    `(${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}), ` +
    `cost of tracking ${((1 - median(ratios)) * 100).toFixed(1)}%`
  );
}

async function main(): Promise<void> {
  const options = readOptions();
  if (process.getuid?.() !== 0) usage('must run as root (the collector attaches eBPF programs)');
  const serverCpus = options.loadCpus ? SERVER_CPUS : undefined;
  const servers: { stop(): Promise<void> }[] = [];
  const started = async <T extends { stop(): Promise<void> }>(server: Promise<T>): Promise<T> => {
    try {
      servers.push(await server);
    } catch (err) {
      await Promise.all(servers.map((s) => s.stop()));
      throw err;
    }
    return servers.at(-1) as T;
  };
  const startNginxTwin = async () =>
    started(
      startNginx({
        port: await freePort(),
        files: { 'index.html': 'x'.repeat(612) },
        cpus: serverCpus,
      }),
    );
  const startRedisTwin = async () =>
    started(startRedis({ port: await freePort(), cpus: serverCpus }));
  const nginxPair = [await startNginxTwin(), await startNginxTwin()] as const;
  for (const twin of nginxPair) portModes.set(twin.port, options.nginxMode);
  const redisPair = [await startRedisTwin(), await startRedisTwin()] as const;
  const [nginx, redis] = [nginxPair[0], redisPair[0]];
  let restoreBpfStats: (() => Promise<void>) | undefined;
  const stopServers = () => Promise.all([...servers.map((s) => s.stop()), restoreBpfStats?.()]);
  const interrupted = () => void stopServers().finally(() => process.exit(130));
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);

  try {
    const workloads = [
      wrkWorkload(options, nginx, 'index.html'),
      redisBenchmarkWorkload(options, redis),
    ];
    const unusedPort = await freePort();
    console.log(
      `tcprt overhead: ${options.rounds} rounds of ${MODES.join('/')}; nginx in ${options.nginxMode} mode; ` +
        `wrk -t1 -c${options.connections} -d${options.seconds}s, ` +
        `redis-benchmark -c${options.connections} -n${options.redisRequests} -t get -P1; ` +
        (options.loadCpus
          ? `servers on CPU ${SERVER_CPUS}, load on CPU ${LOAD_CPUS}, collector unpinned`
          : 'no pinning'),
    );
    // Other work on the machine shifts every column at random: say how busy it was.
    const loadAverage = () => os.loadavg()[0]!.toFixed(2);
    console.log(`load average before: ${loadAverage()} (${os.cpus().length} CPUs)`);
    const results: Record<Mode, Measurement[][]> = { off: [], idle: [], on: [] };
    for (let round = 1; round <= options.rounds; round++) {
      // The order rotates from round to round, so a drift within a round (the neighbours of this
      // shared machine, the CPU clock) does not always favour the same mode.
      const shift = (round - 1) % MODES.length;
      for (const mode of [...MODES.slice(shift), ...MODES.slice(0, shift)]) {
        const measurements = await runRound(workloads, mode, unusedPort);
        results[mode].push(measurements);
        workloads.forEach((w, i) =>
          console.log(
            `round ${round} ${mode.padEnd(4)} ${w.name.padEnd(22)} ${describe(measurements[i]!)}`,
          ),
        );
      }
    }
    restoreBpfStats = await enableBpfStats();
    const profile = { idle: [], on: [] } as Record<ProfiledMode, Measurement[]>;
    for (const mode of PROFILED_MODES) {
      profile[mode] = await runRound(workloads, mode, unusedPort, true);
      workloads.forEach((w, i) =>
        console.log(
          `profile ${mode.padEnd(4)} ${w.name.padEnd(22)} ${describe(profile[mode][i]!)}`,
        ),
      );
    }
    await restoreBpfStats();
    restoreBpfStats = undefined;
    const twins = [
      nginxTwins(options, [...nginxPair], 'index.html'),
      redisTwins(options, [...redisPair]),
    ];
    const twinRatios = await runTwinPairs(twins, options.twinPairs);
    console.log('');
    workloads.forEach((w, i) => console.log(summarize(w, i, results, profile).join('\n')));
    twins.forEach((t, i) => console.log(summarizeTwins(t, twinRatios[i]!)));
    console.log(`load average after: ${loadAverage()}`);
  } finally {
    await stopServers();
  }
}

main().catch((err: unknown) => {
  console.error(`overhead: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
