/*
 * kill -9 of a running agent while redis-benchmark drives a tracked redis at ~20k requests/s.
 * Per kill: requests redis served while that agent ran (its INFO counter), records stored, the
 * difference (lost: in flight in the agent, or in the ring while no agent was reading), the same
 * as milliseconds of traffic, `PRAGMA integrity_check`, and whether every raw log segment ends
 * with a newline. Restarts reuse the data directory, as systemd would.
 *
 * Where the lost records were: the raw log gets each record's line as the agent's main thread
 * receives it (kept large enough here not to rotate), so of the records lost at a kill,
 * `in_agent` had reached the agent (lines in the raw log, never committed to the database:
 * the batch being filled and the batches queued for the writer thread) and `before_agent` had
 * not (the kernel's batches and ring, the loader, the pipe, and the raw log's last unflushed lines).
 *
 * A kill can stop a large write of the raw log midway (raw_log_whole false right after it); the
 * next agent cuts that torn line before it appends, which the last line checks after a restart.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const KILLS = flag('kills', 5);
const SECONDS = flag('seconds', 4);
/** redis-benchmark clients: 2 give about 20k requests/s on the 2-core development machine. */
const CLIENTS = flag('clients', 2);
const REDIS_PORT = 16_379 + Math.floor(Math.random() * 1000);
const API_PORT = 17_071 + Math.floor(Math.random() * 1000);
const tcprt = path.resolve('apps/agent/bin/tcprt');

const dir = mkdtempSync(path.join(os.tmpdir(), 'tcprt-faults-'));
const dataDir = path.join(dir, 'data');
const configPath = path.join(dir, 'tcprt.yaml');
// Raw log of 8 × 32 MiB: every line of the run stays (about 100 bytes a record).
writeFileSync(
  configPath,
  `per-port:\n  - port: ${REDIS_PORT}\ninit:\n  log_buf_num: 8\n  log_buf_size: 33554432\n`,
);

const children: ChildProcess[] = [];
function start(cmd: string, argv: string[]): ChildProcess {
  const child = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  return child;
}
function cleanup(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
}
process.on('exit', cleanup);

const redisCommands = () =>
  Number(
    /total_commands_processed:(\d+)/.exec(
      execFileSync('redis-cli', ['-p', String(REDIS_PORT), 'info', 'stats'], { encoding: 'utf8' }),
    )?.[1],
  );

function storedRecords(): number {
  const db = new Database(path.join(dataDir, 'tcprt.db'), { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM records WHERE kind = 'R'").get() as { n: number })
      .n;
  } finally {
    db.close();
  }
}

function integrity(): string {
  const db = new Database(path.join(dataDir, 'tcprt.db'));
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

/** R lines in the raw log so far. */
function rawLogRecords(): number {
  const rawDir = path.join(dataDir, 'raw');
  let lines = 0;
  for (const f of readdirSync(rawDir).filter((f) => f.startsWith('tcprt.log')))
    for (const line of readFileSync(path.join(rawDir, f), 'latin1').split('\n'))
      if (line.startsWith('V6 R ') || line.startsWith('V7 R ')) lines++;
  return lines;
}

function rawLogWhole(): boolean {
  const rawDir = path.join(dataDir, 'raw');
  return readdirSync(rawDir)
    .filter((f) => f.startsWith('tcprt.log.'))
    .every((f) => {
      const text = readFileSync(path.join(rawDir, f), 'latin1');
      return text.length === 0 || text.endsWith('\n');
    });
}

async function agentUp(): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${API_PORT}/api/status`);
      const status = (await res.json()) as { collector: { state: string } };
      if (status.collector.state === 'running') return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error('the agent did not come up within 30 s');
}

async function main(): Promise<void> {
  start('redis-server', ['--port', String(REDIS_PORT), '--save', '', '--appendonly', 'no']);
  await sleep(500);
  console.log(
    `kill -9 of the agent under load, ${KILLS} times, ${SECONDS} s each (redis :${REDIS_PORT})`,
  );
  console.log(
    'kill  served  stored  ring_lost  lost_at_kill  lost_ms  in_agent  before_agent  rate/s  integrity  raw_log_whole',
  );
  const startAgent = () =>
    start(tcprt, [
      'agent',
      '--config',
      configPath,
      '--data-dir',
      dataDir,
      '--listen',
      `127.0.0.1:${API_PORT}`,
    ]);
  for (let kill = 1; kill <= KILLS; kill++) {
    const before = kill === 1 ? 0 : storedRecords();
    const rawBefore = kill === 1 ? 0 : rawLogRecords();
    const agent = startAgent();
    await agentUp();
    const served0 = redisCommands();
    const startedMs = Date.now();
    const bench = start('redis-benchmark', [
      '-p',
      String(REDIS_PORT),
      '-n',
      '100000000',
      '-c',
      String(CLIENTS),
      '-t',
      'get',
      '-q',
    ]);
    await sleep(SECONDS * 1000);
    const status = (await (await fetch(`http://127.0.0.1:${API_PORT}/api/status`)).json()) as {
      collector: { lostRecords: number };
    };
    agent.kill('SIGKILL');
    const served = redisCommands() - served0;
    const ranMs = Date.now() - startedMs;
    bench.kill('SIGKILL');
    await new Promise((resolve) => agent.once('exit', resolve));
    // The loader notices its reader is gone and detaches; give it a moment.
    await sleep(1000);
    const stored = storedRecords() - before;
    const rate = served / (ranMs / 1000);
    // The kernel's own count of records its ring could not hold (overload, not the kill).
    const ringLost = status.collector.lostRecords;
    const lost = served - stored - ringLost;
    const inAgent = rawLogRecords() - rawBefore - stored;
    console.log(
      [
        kill,
        served,
        stored,
        ringLost,
        lost,
        ((lost / rate) * 1000).toFixed(0),
        inAgent,
        lost - inAgent,
        rate.toFixed(0),
        integrity(),
        rawLogWhole(),
      ].join('  '),
    );
  }
  const last = startAgent();
  await agentUp();
  last.kill('SIGTERM');
  await new Promise((resolve) => last.once('exit', resolve));
  console.log(`raw log whole after a restart and a clean stop: ${rawLogWhole()}`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
