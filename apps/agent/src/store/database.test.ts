import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '@tcprt/testkit/tempDir';
import { openDatabase } from './database';
import { StatsQueries } from './queries/stats-queries';
import { RecordQueries } from './queries/record-queries';

/*
 * Old databases upgrade in place: a file made by the first migration alone, with a record and a
 * rollup in it, opened by today's agent keeps both and gains the verdict columns (NULL / 0 for
 * what was stored before them).
 */

let dir: TempDir;
beforeEach(async () => (dir = await makeTempDir('database')));
afterEach(async () => dir.remove());

function makeVersion1Database(file: string): void {
  const db = new Database(file);
  db.exec(readFileSync(path.join(import.meta.dirname, 'migrations/0001-initial.sql'), 'utf8'));
  db.pragma('user_version = 1');
  db.prepare(
    `INSERT INTO records (connection_id, kind, version, start_us, peer_addr, peer_port, local_addr,
       local_port, task_num, bytes_sent, bytes_received, bytes_unacked, retrans, min_rtt_us)
     VALUES (1, 'E', 6, 60000000, '127.0.0.1', 40000, '127.0.0.1', 8080, 1, 10, 20, 0, 0, 50)`,
  ).run();
  db.prepare(
    `INSERT INTO rollups VALUES (60, 8080, 0, 60, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, x'')`,
  ).run();
  db.close();
}

it('upgrades a version-1 database in place, keeping its records and rollups', () => {
  const file = path.join(dir.path, 'tcprt.db');
  makeVersion1Database(file);
  const db = openDatabase(file);
  try {
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    const [closing] = new RecordQueries(db).list({ sort: 'time', order: 'desc', limit: 10 }).items;
    expect(closing).toMatchObject({ kind: 'E', bytesSent: 10, close: null, closeReason: null });
    const reasons = new StatsQueries(db, () => null).closeReasons({
      fromMs: 0,
      toMs: 3_600_000,
      bucketSec: 60,
    });
    expect(reasons.buckets).toEqual([
      {
        startMs: 60_000,
        port: 8080,
        normal: 1,
        whileSending: 0,
        whileReceiving: 0,
        reasons: {
          normal: 0,
          peer_gave_up: 0,
          reset_by_peer: 0,
          reset_by_local: 0,
          timed_out: 0,
          closed_while_sending: 0,
          closed_while_receiving: 0,
        },
      },
    ]);
  } finally {
    db.close();
  }
  // Opening again applies nothing twice.
  openDatabase(file).close();
});

/** A database as the agent left it before HTTP requests were stored (migrations 0001–0003), with one task. */
function makeVersion3Database(file: string): void {
  const db = new Database(file);
  for (const migration of ['0001-initial.sql', '0002-verdicts.sql', '0003-port-services.sql'])
    db.exec(readFileSync(path.join(import.meta.dirname, 'migrations', migration), 'utf8'));
  db.pragma('user_version = 3');
  db.prepare(
    `INSERT INTO records (connection_id, kind, version, start_us, peer_addr, peer_port, local_addr,
       local_port, task_num, total_us, upload_us, process_us, download_us, bytes_sent,
       bytes_received, retrans, min_rtt_us, mss, reorder)
     VALUES (1, 'R', 6, 60000000, '127.0.0.1', 40000, '127.0.0.1', 8080, 1, 1000, 100, 800, 100,
       512, 80, 0, 50, 1448, 0)`,
  ).run();
  db.close();
}

it('upgrades a version-3 database in place: its tasks keep their values and have no HTTP request', () => {
  const file = path.join(dir.path, 'tcprt.db');
  makeVersion3Database(file);
  const db = openDatabase(file);
  try {
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    const records = new RecordQueries(db);
    const [task] = records.list({ sort: 'time', order: 'desc', limit: 10 }).items;
    expect(task).toMatchObject({ kind: 'R', processUs: 800, bytesSent: 512, http: null });
    // Filtering by a request's route finds none of the rows stored before requests were.
    expect(records.countMatching({ route: '/x' })).toEqual({ count: 0, capped: false });
    const indexes = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index'")
      .all()
      .map((i) => i.name);
    expect(indexes).toContain('records_by_http_route');
    expect(db.prepare('SELECT count(*) AS n FROM http_routes').get()).toEqual({ n: 0 });
  } finally {
    db.close();
  }
  openDatabase(file).close();
});
