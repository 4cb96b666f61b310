/*
 * Throughput cost of tcprt: nginx + wrk and redis-server + redis-benchmark at saturation, with
 * `tcprt collect` attached and tracking the server ports ("on") versus not running ("off"),
 * interleaved off/on/off/on in one run. Prints requests/s per round, the on/off ratio, the
 * records/s the collector printed and how many tasks had no record (lost).
 *
 * On 2 cores the server is pinned to CPU 0 and the load generator to CPU 1 (unless --no-pin);
 * the collector is not pinned, so whatever CPU it takes competes with one of them, as it would
 * in production.
 */
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { runCommand } from '../../apps/agent/test/support/command';
import { startCollect, type CollectRun } from '../../apps/agent/test/support/collect';
import { freePort } from '../../apps/agent/test/support/freePort';
import { startNginx, type NginxServer } from '../../apps/agent/test/support/nginx';
import { startRedis, type RedisServer } from '../../apps/agent/test/support/redis';

const SERVER_CPUS = '0';
const LOAD_CPUS = '1';
const SETTLE_MS = 1000;
const RECORDS_TIMEOUT_MS = 30_000;

interface Options {
  rounds: number;
  seconds: number;
  redisRequests: number;
  connections: number;
  pin: boolean;
}

interface LoadResult {
  requestsPerSec: number;
  requests: number;
  seconds: number;
}

interface Workload {
  name: string;
  port: number;
  /** Connections the load generator opens: each writes one E record when it closes. */
  connections: number;
  run(): Promise<LoadResult>;
}

interface Measurement extends LoadResult {
  /** R records of this workload's port, when the collector ran. */
  records?: number;
}

function usage(message: string): never {
  console.error(
    `overhead: ${message}\n` +
      'usage: scripts/bench/overhead [--rounds N] [--seconds S] [--redis-requests N] [--connections C] [--no-pin]',
  );
  process.exit(2);
}

function positiveInt(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    usage(`--${name} must be a positive integer, got '${text}'`);
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
      },
    }));
  } catch (err) {
    usage((err as Error).message);
  }
  return {
    rounds: positiveInt('rounds', values.rounds, 4),
    seconds: positiveInt('seconds', values.seconds, 5),
    redisRequests: positiveInt('redis-requests', values['redis-requests'], 200_000),
    connections: positiveInt('connections', values.connections, 8),
    pin: !values['no-pin'],
  };
}

function loadArgv(options: Options, argv: string[]): string[] {
  return options.pin ? ['taskset', '-c', LOAD_CPUS, ...argv] : argv;
}

function wrkWorkload(options: Options, nginx: NginxServer): Workload {
  return {
    name: 'nginx+wrk',
    port: nginx.port,
    connections: options.connections,
    async run() {
      const { stdout } = await runCommand(
        loadArgv(options, [
          'wrk',
          '-t',
          '1',
          '-c',
          String(options.connections),
          '-d',
          `${options.seconds}s`,
          '--timeout',
          '2s',
          `${nginx.baseUrl}index.html`,
        ]),
        { timeoutMs: (options.seconds + 30) * 1000 },
      );
      const requests = /(\d+) requests in ([\d.]+)(m?s)/.exec(stdout);
      const rate = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
      if (!requests || !rate) throw new Error(`cannot read wrk's output:\n${stdout}`);
      const seconds = Number(requests[2]) / (requests[3] === 'ms' ? 1000 : 1);
      return { requestsPerSec: Number(rate[1]), requests: Number(requests[1]), seconds };
    },
  };
}

function redisBenchmarkWorkload(options: Options, redis: RedisServer): Workload {
  return {
    name: 'redis+redis-benchmark',
    port: redis.port,
    // redis-benchmark also opens one connection of its own first, to read the server's config.
    connections: options.connections + 1,
    async run() {
      const { stdout } = await runCommand(
        loadArgv(options, [
          'redis-benchmark',
          '-h',
          '127.0.0.1',
          '-p',
          String(redis.port),
          '-c',
          String(options.connections),
          '-n',
          String(options.redisRequests),
          '-t',
          'get',
          '-P',
          '1',
          '--csv',
        ]),
        { timeoutMs: 300_000 },
      );
      const row = /^"GET","([\d.]+)"/m.exec(stdout);
      if (!row) throw new Error(`cannot read redis-benchmark's output:\n${stdout}`);
      const requestsPerSec = Number(row[1]);
      return {
        requestsPerSec,
        requests: options.redisRequests,
        seconds: options.redisRequests / requestsPerSec,
      };
    },
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

async function runRound(workloads: Workload[], withCollector: boolean): Promise<Measurement[]> {
  const collect = withCollector
    ? await startCollect({ 'per-port': workloads.map((w) => ({ port: w.port })) })
    : undefined;
  try {
    const measurements: Measurement[] = [];
    for (const workload of workloads) {
      await sleep(SETTLE_MS);
      const result = await workload.run();
      measurements.push(
        collect ? { ...result, records: await countRecords(collect, workload) } : result,
      );
    }
    return measurements;
  } finally {
    await collect?.stop();
    const lossLines =
      collect
        ?.stderr()
        .split('\n')
        .filter((l) => /lost|drop/i.test(l)) ?? [];
    for (const line of lossLines) console.log(`    collector: ${line}`);
  }
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return Number.isInteger(middle)
    ? (sorted[middle - 1]! + sorted[middle]!) / 2
    : sorted[Math.floor(middle)]!;
}
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function describe(m: Measurement): string {
  const base = `${fmt(m.requestsPerSec).padStart(9)} req/s`;
  if (m.records === undefined) return base;
  const lost = Math.max(0, m.requests - m.records);
  return `${base}  records ${fmt(m.records)} (${fmt(m.records / m.seconds)}/s), lost ${fmt(lost)}`;
}

async function main(): Promise<void> {
  const options = readOptions();
  if (process.getuid?.() !== 0) usage('must run as root (the collector attaches eBPF programs)');
  const serverCpus = options.pin ? SERVER_CPUS : undefined;
  const nginx = await startNginx({
    port: await freePort(),
    files: { 'index.html': 'x'.repeat(612) },
    cpus: serverCpus,
  });
  const redis = await startRedis({ port: await freePort(), cpus: serverCpus }).catch(
    async (err: unknown) => {
      await nginx.stop();
      throw err;
    },
  );
  const stopServers = () => Promise.all([nginx.stop(), redis.stop()]);
  const interrupted = () => void stopServers().finally(() => process.exit(130));
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);

  try {
    const workloads = [wrkWorkload(options, nginx), redisBenchmarkWorkload(options, redis)];
    console.log(
      `tcprt overhead: ${options.rounds} rounds of off/on; wrk -t1 -c${options.connections} -d${options.seconds}s, ` +
        `redis-benchmark -c${options.connections} -n${options.redisRequests} -t get; ` +
        (options.pin
          ? `servers on CPU ${SERVER_CPUS}, load on CPU ${LOAD_CPUS}, collector unpinned`
          : 'no pinning'),
    );
    // Other work on the machine shifts both columns at random: say how busy it was.
    const loadAverage = () => os.loadavg()[0]!.toFixed(2);
    console.log(`load average before: ${loadAverage()} (${os.cpus().length} CPUs)`);
    const results = { off: [] as Measurement[][], on: [] as Measurement[][] };
    for (let round = 1; round <= options.rounds; round++) {
      for (const mode of ['off', 'on'] as const) {
        const measurements = await runRound(workloads, mode === 'on');
        results[mode].push(measurements);
        workloads.forEach((w, i) =>
          console.log(
            `round ${round} ${mode.padEnd(3)} ${w.name.padEnd(22)} ${describe(measurements[i]!)}`,
          ),
        );
      }
    }
    console.log('');
    workloads.forEach((w, i) => {
      const off = results.off.map((r) => r[i]!.requestsPerSec);
      const on = results.on.map((r) => r[i]!.requestsPerSec);
      const ratios = on.map((v, round) => v / off[round]!);
      const ratio = mean(ratios);
      const medianRatio = median(ratios);
      const records = results.on.map((r) => r[i]!);
      const lost = records.reduce((sum, m) => sum + Math.max(0, m.requests - (m.records ?? 0)), 0);
      const recordsPerSec = mean(records.map((m) => (m.records ?? 0) / m.seconds));
      const spread = (values: number[]) =>
        `${fmt(Math.min(...values))}–${fmt(Math.max(...values))}`;
      console.log(
        `${w.name.padEnd(22)} off ${fmt(mean(off))} req/s (${spread(off)}), on ${fmt(mean(on))} req/s (${spread(on)}), ` +
          `on/off ratio mean ${ratio.toFixed(3)} (cost ${((1 - ratio) * 100).toFixed(1)}%), ` +
          `median ${medianRatio.toFixed(3)}, ` +
          `records ${fmt(recordsPerSec)}/s, lost ${fmt(lost)} of ${fmt(records.reduce((s, m) => s + m.requests, 0))}`,
      );
    });
    console.log(`load average after: ${loadAverage()}`);
  } finally {
    await stopServers();
  }
}

main().catch((err: unknown) => {
  console.error(`overhead: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
