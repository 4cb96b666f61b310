/*
 * Time of the tokenless `POST /api/config/validate` on a real agent process: a 20,000-rule
 * candidate (the most that fits the request's size cap, refused at the first rule past the
 * kernel's limit) and the largest valid rule set (every rule the kernel holds, each with every
 * key), one call at a time and five at once, on a quiet agent and on one storing records from
 * the fake loader at --rate records/s. Also the agent's status time meanwhile and whether every
 * record written was stored.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { TCPRT_BIN } from '@tcprt/testkit/paths';
import {
  MAX_RANGE_RULES_PER_SIDE,
  MAX_SINGLE_PORT_RULES,
  type ConfigValidation,
} from '@tcprt/schema';
import { startBenchAgent, type BenchAgent } from './bench-agent';
import { formatCount, median, printSideBySide } from './summary';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '20000' },
    calls: { type: 'string', default: '10' },
    port: { type: 'string', default: '7392' },
    agent: { type: 'string', default: TCPRT_BIN },
  },
});
const rate = Number(values.rate);
const calls = Number(values.calls);
const CONCURRENT = 5;
const STATUS_POLL_MS = 20;
/** The loader writes rate × LOAD_SEC records, more than the timed calls take at any rate. */
const LOAD_SEC = 30;
const DRAIN_TIMEOUT_MS = 120_000;

const overLimitYaml = `per-port: [${Array.from({ length: 20_000 }, (_, i) => `{port: ${(i % 9) + 1}}`).join(', ')}]\n`;
const mostRulesYaml = (() => {
  const rule = (port: string, i: number, peer: boolean) =>
    `  - port: ${port}\n    name: "service-${i}"\n    peer: ${peer}\n    mode: http\n    first_frame: enable\n`;
  const singles = Array.from({ length: MAX_SINGLE_PORT_RULES }, (_, i) =>
    rule(String(20000 + i), i, false),
  );
  const ranges = Array.from({ length: 2 * MAX_RANGE_RULES_PER_SIDE }, (_, i) =>
    rule(`"${30000 + i * 10},${30000 + i * 10 + 5}"`, MAX_SINGLE_PORT_RULES + i, i % 2 === 1),
  );
  return `per-port:\n${[...singles, ...ranges].join('')}`;
})();

interface Timings {
  oneAtATimeMs: number[];
  fiveAtOnceMs: number[];
}

async function validate(agent: BenchAgent, yaml: string, valid: boolean): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${agent.url}/api/config/validate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ yaml }),
  });
  const answer = (await res.json()) as ConfigValidation;
  const tookMs = performance.now() - started;
  if (res.status !== 200 || answer.valid !== valid)
    throw new Error(`validate: ${res.status} ${JSON.stringify(answer).slice(0, 300)}`);
  return tookMs;
}

async function time(agent: BenchAgent, yaml: string, valid: boolean): Promise<Timings> {
  const oneAtATimeMs: number[] = [];
  for (let i = 0; i < calls; i++) oneAtATimeMs.push(await validate(agent, yaml, valid));
  const fiveAtOnceMs: number[] = [];
  for (let round = 0; round < calls / CONCURRENT; round++)
    fiveAtOnceMs.push(
      ...(await Promise.all(
        Array.from({ length: CONCURRENT }, () => validate(agent, yaml, valid)),
      )),
    );
  return { oneAtATimeMs, fiveAtOnceMs };
}

interface Run {
  firstCallMs: number;
  overLimit: Timings;
  mostRules: Timings;
  statusMs: number[];
  callsSec: number;
  written: number;
  stored: number;
  lost: number;
}

async function measure(recordRate: number): Promise<Run> {
  const agent = await startBenchAgent({
    command: values.agent,
    configYaml: 'per-port:\n  - port: 8080\n',
    apiPort: Number(values.port),
    records: recordRate * LOAD_SEC,
    rate: recordRate,
  });
  try {
    const firstCallMs = await validate(agent, 'per-port: []\n', true);
    const startMs = performance.now();
    const statusMs: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const started = performance.now();
        await agent.status();
        statusMs.push(performance.now() - started);
        await sleep(STATUS_POLL_MS);
      }
    })();
    const overLimit = await time(agent, overLimitYaml, false);
    const mostRules = await time(agent, mostRulesYaml, true);
    polling = false;
    await poller;
    const callsSec = (performance.now() - startMs) / 1000;
    // Everything the loader writes is stored (nothing dropped while the calls ran).
    const written = recordRate * LOAD_SEC;
    let stored = 0;
    let lost = 0;
    for (const until = performance.now() + DRAIN_TIMEOUT_MS; performance.now() < until;) {
      const status = await agent.status();
      stored = status?.database.records ?? 0;
      lost = status?.collector.lostRecords ?? 0;
      if (stored >= written) break;
      await sleep(500);
    }
    return { firstCallMs, overLimit, mostRules, statusMs, callsSec, written, stored, lost };
  } finally {
    await agent.stop();
  }
}

const ms = (values: number[]) =>
  `p50 ${median(values).toFixed(0)}, max ${Math.max(...values).toFixed(0)} ms`;

const ROWS: [label: string, cell: (r: Run) => string][] = [
  ['first call (validator thread warm-up)', (r) => `${r.firstCallMs.toFixed(0)} ms`],
  ['20,000 rules (refused), one at a time', (r) => ms(r.overLimit.oneAtATimeMs)],
  [`20,000 rules (refused), ${CONCURRENT} at once`, (r) => ms(r.overLimit.fiveAtOnceMs)],
  ['1,280 rules (valid, the most), one at a time', (r) => ms(r.mostRules.oneAtATimeMs)],
  [`1,280 rules (valid), ${CONCURRENT} at once`, (r) => ms(r.mostRules.fiveAtOnceMs)],
  ['GET /api/status meanwhile', (r) => ms(r.statusMs)],
  ['all calls took', (r) => `${r.callsSec.toFixed(1)} s (load: ${LOAD_SEC} s)`],
  [
    'records stored / written',
    (r) => `${formatCount(r.stored)} / ${formatCount(r.written)} (lost counter ${r.lost})`,
  ],
];

async function main(): Promise<void> {
  if (!Number.isSafeInteger(rate) || rate <= 0)
    throw new Error(`--rate must be a positive integer (records/s), got ${values.rate}`);
  const runs: [string, Run][] = [
    ['quiet', await measure(0)],
    [`storing ${formatCount(rate)} records/s`, await measure(rate)],
  ];
  printSideBySide(
    `POST /api/config/validate, ${calls} calls per row (${(overLimitYaml.length / 1024).toFixed(0)} KiB and ${(mostRulesYaml.length / 1024).toFixed(0)} KiB candidates)`,
    runs,
    ROWS,
    36,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
