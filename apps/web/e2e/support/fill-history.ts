/*
 * Fills an agent's data directory with history before the agent starts, through the agent's own
 * write path (DatabaseWriter: rows and rollups exactly as live records make them). Run as a
 * child process under tsx (fillHistory below): the store needs better-sqlite3 and a worker
 * thread, which the Playwright runner's own process should not carry.
 *
 * usage: fill-history.ts <data-dir> <plan.json>
 */
import { readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { TcprtRecord } from '@tcprt/schema';
import { DATABASE_FILE } from '../../../agent/src/defaults';
import { openDatabase } from '../../../agent/src/store/database';
import { DatabaseWriter } from '../../../agent/src/store/writer/database-writer';
import type { HistoryPlan } from './history-plan';

/** Deterministic pseudo-random numbers: every run writes the same values. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function task(startUs: number, port: number, peerPort: number, processUs: number): TcprtRecord {
  const uploadUs = 20;
  return {
    type: 'R',
    version: 'V6',
    startSec: Math.floor(startUs / 1e6),
    startUsec: startUs % 1e6,
    peer: { ip: '127.0.0.1', port: peerPort },
    local: { ip: '127.0.0.1', port },
    bytesSent: 2000,
    totalUs: uploadUs + processUs + 60,
    minRttUs: 15,
    retrans: 0,
    taskNum: 1,
    processUs,
    uploadUs,
    bytesReceived: 100,
    reorder: 0,
    mss: 65483,
  };
}

async function main(): Promise<void> {
  const [dataDir, planFile] = process.argv.slice(2);
  if (!dataDir || !planFile) throw new Error('usage: fill-history.ts <data-dir> <plan.json>');
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as HistoryPlan;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = openDatabase(path.join(dataDir, DATABASE_FILE));
  const writer = new DatabaseWriter(db);
  const rnd = random(17);
  for (const span of plan) {
    const stepUs = Math.floor(((span.toMs - span.fromMs) * 1000) / span.records);
    for (let i = 0; i < span.records; i++) {
      const startUs = span.fromMs * 1000 + i * stepUs;
      const processUs = Math.floor(
        span.processUs[0] + rnd() * (span.processUs[1] - span.processUs[0]),
      );
      writer.add(task(startUs, span.port, 30000 + (i % 30000), processUs));
    }
  }
  await writer.close();
  db.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
