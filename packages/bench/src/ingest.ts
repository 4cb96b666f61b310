/*
 * Ingest throughput of the agent: records/s it stores into SQLite from the collector path
 * (loader stdout pipe → frame decoder → record conversion → raw log + batched SQLite writer)
 * with zero loss, plus the agent's CPU and RSS while doing it.
 *
 * The kernel side cannot produce hundreds of thousands of real requests per second on this
 * machine, so the loader is replaced by ingest-fake-loader.mjs, which speaks the loader's exact
 * frame protocol and writes N records as fast as the agent reads them.
 *
 * `--baseline <tcprt>` runs another agent build (e.g. an older checkout's apps/agent/bin/tcprt)
 * first with the same loader and prints both side by side; `--agent <tcprt>` replaces the agent
 * command measured (e.g. a wrapper that adds `node --cpu-prof`). A baseline without `/metrics`
 * (a checkout before it) gives the figures without metrics. `--baseline-without-tier 10` runs
 * this tree's agent with its 10 s rollup tier dropped as the baseline (agent-without-tier.ts);
 * `--ports N` spreads the records over N of the tracked ports.
 *
 * `--rate R` paces the loader at R records/s instead (the run lasts records / R seconds): the
 * agent's steady-state RSS at that rate is the median RSS sampled over the run's second half.
 * `--packaged` measures this tree's agent as the package runs it (packaged-agent.ts): its memory
 * is the one users see; bin/tcprt's TypeScript loader adds 70–80 MiB.
 *
 * The config tracks METRICS_PORTS ports (the loader writes to the first), so the timed
 * `/metrics` scrape after the run covers that many ports' series. The metrics' own CPU per
 * record and per scrape is also timed in this process (metricsCpu).
 */
import { readdirSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { TCPRT_BIN } from '@tcprt/testkit/paths';
import { loadConfigYaml, parseLogLine, type Status, type TcprtRecord } from '@tcprt/schema';
import { TaskMetrics } from '@tcprt/agent/metrics/task-metrics';
import { createMetricsEndpoint } from '@tcprt/agent/metrics/metrics-registry';
import { agentWithoutTier } from './agent-without-tier';
import { packagedAgent } from './packaged-agent';
import { BENCH_PORT, childPids, cpuTicks, memoryKiB, startBenchAgent } from './bench-agent';
import { formatCount, median, printSideBySide } from './summary';

const CLOCK_TICKS_PER_SEC = 100;
const POLL_MS = 100;
/** Tracked ports: the `/metrics` scrape is timed with this many ports' series. */
const METRICS_PORTS = 100;
const SCRAPES = 5;

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '2000000' },
    rate: { type: 'string', default: '0' },
    'baseline-without-tier': { type: 'string' },
    ports: { type: 'string', default: '1' },
    port: { type: 'string', default: '7391' },
    agent: { type: 'string', default: TCPRT_BIN },
    packaged: { type: 'boolean', default: false },
    baseline: { type: 'string' },
  },
});
const total = Number(values.records);
const rate = Number(values.rate);
const apiPort = Number(values.port);
if (!Number.isSafeInteger(total) || total <= 0)
  throw new Error(`--records must be a positive integer, got ${values.records}`);
if (!Number.isSafeInteger(rate) || rate < 0)
  throw new Error(`--rate must be a non-negative integer (records/s), got ${values.rate}`);
/** Ports the records are spread over: rollup rows are written per port and batch. */
const recordPorts = Number(values.ports);
if (!Number.isSafeInteger(recordPorts) || recordPorts < 1 || recordPorts > METRICS_PORTS)
  throw new Error(`--ports must be 1–${METRICS_PORTS} (the tracked ports), got ${values.ports}`);

interface Result {
  stored: number;
  lostCounter: number;
  seconds: number;
  agentCpuSec: number;
  /** The agent's main thread (decoding, log lines, stats, batching) and its busiest other thread (the SQLite writer once it has one). */
  mainThreadCpuSec: number;
  busiestOtherThreadCpuSec: number;
  loaderCpuSec: number;
  peakRssKiB: number;
  /** Median RSS over the second half of the run. */
  steadyRssKiB: number;
  highWaterKiB: number;
  databaseBytes: number;
  /** Median time of one `GET /metrics` after the run; null when the agent has none (404). */
  scrapeMs: number | null;
  scrapeBytes: number;
}

/** CPU ticks of each of the process's threads. */
function threadTicks(pid: number): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`).map(Number)) {
    try {
      ticks.set(tid, cpuTicks(pid, tid));
    } catch {
      // the thread ended between listing and reading
    }
  }
  return ticks;
}

/** Starts the agent command on a fresh data directory and waits until all records are stored. */
async function measure(agentCommand: string): Promise<Result> {
  const agent = await startBenchAgent({
    command: agentCommand,
    configYaml: trackedPortsYaml(),
    apiPort,
    records: total,
    rate,
    ports: recordPorts,
  });
  try {
    const agentPid = agent.pid;
    const loaderPid = childPids(agentPid)[0];
    const startMs = performance.now();
    const cpuStart = cpuTicks(agentPid);
    const threadsStart = threadTicks(agentPid);
    const loaderCpuStart = loaderPid ? cpuTicks(loaderPid) : 0;
    let last: Status | null = null;
    const rssSamples: { atMs: number; kiB: number }[] = [];
    for (;;) {
      await sleep(POLL_MS);
      last = await agent.status();
      rssSamples.push({ atMs: performance.now(), kiB: memoryKiB(agentPid, 'VmRSS') });
      // The newest id, not the count: in a long run retention deletes the oldest (2 GiB by default).
      if (last && last.database.lastRecordId >= total) break;
      if (performance.now() - startMs > 600_000)
        throw new Error(`only ${last?.database.records} of ${total} records after 10 min`);
    }
    const endMs = performance.now();
    const threadsEnd = threadTicks(agentPid);
    const scrape = await timeScrapes(agent.url);
    const threadCpuSec = (tid: number) =>
      ((threadsEnd.get(tid) ?? 0) - (threadsStart.get(tid) ?? 0)) / CLOCK_TICKS_PER_SEC;
    const others = [...threadsEnd.keys()].filter((tid) => tid !== agentPid).map(threadCpuSec);
    const halfwayMs = (startMs + endMs) / 2;
    return {
      stored: last.database.lastRecordId,
      lostCounter: last.collector.lostRecords,
      seconds: (endMs - startMs) / 1000,
      agentCpuSec: (cpuTicks(agentPid) - cpuStart) / CLOCK_TICKS_PER_SEC,
      mainThreadCpuSec: threadCpuSec(agentPid),
      busiestOtherThreadCpuSec: Math.max(0, ...others),
      loaderCpuSec: loaderPid ? (cpuTicks(loaderPid) - loaderCpuStart) / CLOCK_TICKS_PER_SEC : NaN,
      peakRssKiB: Math.max(...rssSamples.map((s) => s.kiB)),
      steadyRssKiB: median(rssSamples.filter((s) => s.atMs >= halfwayMs).map((s) => s.kiB)),
      highWaterKiB: memoryKiB(agentPid, 'VmHWM'),
      databaseBytes: last.database.sizeBytes,
      ...scrape,
    };
  } finally {
    await agent.stop();
  }
}

function trackedPortsYaml(): string {
  const ports = Array.from({ length: METRICS_PORTS }, (_, i) => `  - port: ${BENCH_PORT + i}\n`);
  return `per-port:\n${ports.join('')}`;
}

/** Median wall time of SCRAPES `GET /metrics` on the agent. */
async function timeScrapes(
  agentUrl: string,
): Promise<{ scrapeMs: number | null; scrapeBytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < SCRAPES; i++) {
    const start = performance.now();
    const res = await fetch(`${agentUrl}/metrics`);
    const text = await res.text();
    if (res.status === 404) return { scrapeMs: null, scrapeBytes: 0 };
    if (!res.ok) throw new Error(`GET /metrics: ${res.status} ${text}`);
    times.push(performance.now() - start);
    bytes = text.length;
  }
  times.sort((a, b) => a - b);
  return { scrapeMs: times[Math.floor(times.length / 2)]!, scrapeBytes: bytes };
}

/**
 * CPU time of the metrics in this process, where other processes on a busy machine do not count:
 * per record, on the loader's mix (3 R, 1 E per connection) spread over METRICS_PORTS ports and
 * fed to the agent's TaskMetrics as the agent does; and per scrape of those ports' series.
 */
async function metricsCpu(): Promise<{ nsPerRecord: number; msPerScrape: number }> {
  const records: TcprtRecord[] = [];
  for (let c = 0; c < 4096; c++) {
    const port = BENCH_PORT + (c % METRICS_PORTS);
    const peer = `127.0.0.1:${40000 + (c % 20000)}`;
    for (let task = 1; task <= 3; task++) {
      const total = 50 + ((c * 7 + task * 13) % 5000) * 40;
      records.push(
        parseLogLine(
          `V6 R 1795677367 264339 ${peer} 127.0.0.1:${port} 2000 ${total} 22 0 ${task} ${Math.floor(total / 2)} 10 100 0 45568 `,
        ),
      );
    }
    records.push(
      parseLogLine(`V6 E 1795677367 264339 ${peer} 127.0.0.1:${port} 3 6000 0 300 0 22 `),
    );
  }
  const metrics = new TaskMetrics();
  const config = loadConfigYaml(trackedPortsYaml());
  if (!config.ok) throw new Error('bench config does not validate');
  metrics.setConfig(config.config);
  const cpuMs = (used: NodeJS.CpuUsage) => (used.user + used.system) / 1000;
  const rounds = 100;
  for (const r of records) metrics.add(r); // warm-up
  let start = process.cpuUsage();
  for (let i = 0; i < rounds; i++) for (const r of records) metrics.add(r);
  const nsPerRecord = (cpuMs(process.cpuUsage(start)) * 1e6) / (rounds * records.length);
  const endpoint = createMetricsEndpoint({
    tasks: metrics,
    health: () => ({
      collectorUp: true,
      collectorRestarts: 0,
      configRejected: false,
      lostRecords: { ring_buffer_full: 0 },
      kernel: os.release(),
    }),
    version: 'bench',
  });
  await endpoint.scrape(); // warm-up
  start = process.cpuUsage();
  for (let i = 0; i < SCRAPES; i++) await endpoint.scrape();
  return { nsPerRecord, msPerScrape: cpuMs(process.cpuUsage(start)) / SCRAPES };
}

const ROWS: [label: string, cell: (r: Result) => string][] = [
  [
    'records stored in SQLite',
    (r) => `${r.stored} ${r.stored === total ? '(zero loss)' : `(LOST ${total - r.stored})`}`,
  ],
  ['lost counter', (r) => String(r.lostCounter)],
  ['wall time', (r) => `${r.seconds.toFixed(2)} s`],
  ['ingest rate', (r) => `${formatCount(total / r.seconds)} records/s`],
  ['agent CPU per record', (r) => `${((r.agentCpuSec * 1e6) / total).toFixed(1)} µs`],
  [
    'agent CPU',
    (r) =>
      `${r.agentCpuSec.toFixed(2)} s = ${((100 * r.agentCpuSec) / r.seconds).toFixed(0)} % of one core`,
  ],
  ['  main thread per record', (r) => `${((r.mainThreadCpuSec * 1e6) / total).toFixed(1)} µs`],
  [
    '  busiest other thread',
    (r) => `${((r.busiestOtherThreadCpuSec * 1e6) / total).toFixed(1)} µs`,
  ],
  // What two free cores would sustain: the busier of the two threads sets the pace.
  [
    '  2-core rate from CPU',
    (r) =>
      `${formatCount(total / Math.max(r.mainThreadCpuSec, r.busiestOtherThreadCpuSec))} records/s`,
  ],
  ['fake loader CPU', (r) => `${r.loaderCpuSec.toFixed(2)} s`],
  ['agent RSS peak (sampled)', (r) => `${(r.peakRssKiB / 1024).toFixed(0)} MiB`],
  ['agent RSS steady (2nd half median)', (r) => `${(r.steadyRssKiB / 1024).toFixed(0)} MiB`],
  ['agent RSS high-water', (r) => `${(r.highWaterKiB / 1024).toFixed(0)} MiB`],
  ['database', (r) => `${(r.databaseBytes / 1048576).toFixed(0)} MiB`],
  [
    `GET /metrics, ${METRICS_PORTS} ports`,
    (r) =>
      r.scrapeMs === null
        ? 'no /metrics'
        : `${r.scrapeMs.toFixed(1)} ms (${(r.scrapeBytes / 1024).toFixed(0)} KiB)`,
  ],
];

async function main(): Promise<void> {
  const runs: [name: string, result: Result][] = [];
  if (values.baseline) runs.push(['baseline', await measure(values.baseline)]);
  const droppedTier = values['baseline-without-tier'];
  if (droppedTier !== undefined) {
    const variant = agentWithoutTier(Number(droppedTier));
    try {
      runs.push([`without the ${droppedTier} s tier`, await measure(variant.command)]);
    } finally {
      variant.remove();
    }
  }
  const packaged = values.packaged ? packagedAgent() : null;
  try {
    runs.push([
      packaged ? 'this tree, packaged' : 'this tree',
      await measure(packaged?.command ?? values.agent),
    ]);
  } finally {
    packaged?.remove();
  }
  printSideBySide(
    `${total} records from the fake loader on ${recordPorts} port(s) ${rate > 0 ? `at ${formatCount(rate)} records/s` : 'as fast as the agent reads'}`,
    runs,
    ROWS,
    40,
  );
  const cpu = await metricsCpu();
  console.log(
    `\nmetrics CPU in this process, ${METRICS_PORTS} ports: ${cpu.nsPerRecord.toFixed(0)} ns per record (3 R + 1 E per connection), ${cpu.msPerScrape.toFixed(1)} ms per scrape`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
