import { afterEach, beforeEach, expect, it } from 'vitest';
import path from 'node:path';
import { formatLogLine, type RRecord, type TcprtRecord } from '@tcprt/schema';
import { makeTempDir, type TempDir } from '@tcprt/testkit/tempDir';
import { eRecord, nRecord, pRecord, rRecord, wRecord } from '../../../test/fixtures/records';
import { openDatabase, type Db } from '../database';
import { storedRecordFromRow } from '../queries/stored-record';
import type { RecordRow } from '../record-row';
import { RollupBuffer, RollupStore } from '../rollups';
import { ConnectionIds } from './connection-ids';
import { BATCH_ROWS, DatabaseWriter, MAX_UNSTORED_ROWS } from './database-writer';

let dir: TempDir;
let batched: Db;
let perRecord: Db;
beforeEach(async () => {
  dir = await makeTempDir('database-writer');
  batched = openDatabase(path.join(dir.path, 'batched.db'));
  perRecord = openDatabase(path.join(dir.path, 'per-record.db'));
});
afterEach(async () => {
  batched.close();
  perRecord.close();
  await dir.remove();
});

/** Connections of every kind over ~2 hours, so rows span minute, 5-minute and hour rollups. */
function traffic(): TcprtRecord[] {
  const out: TcprtRecord[] = [];
  const hourUs = Date.UTC(2026, 5, 1, 10) * 1000;
  for (let c = 0; c < 150; c++) {
    const at = hourUs - 1_800_000_000 + c * 47_000_000 + (c % 7) * 999_983;
    const ports = { local: c % 3 === 0 ? 443 : 80, peer: 30000 + c };
    const tasks = 1 + (c % 4);
    for (let t = 1; t <= tasks; t++) {
      out.push(
        rRecord(at + t * 1000, ports, {
          uploadUs: (c * 13) % 90,
          processUs: 100 + ((c * 7919 + t * 104729) % 400_000),
          downloadUs: (t * 31) % 2000,
          taskNum: t,
          bytesSent: c % 11 === 0 && t === 1 ? 0 : 1000 + c,
        }),
      );
    }
    if (c % 6 === 1) out.push(wRecord(at + 9000, ports, c % 2 ? 50 : 5000, tasks + 1));
    if (c % 6 === 2) out.push(nRecord(at + 9000, ports, tasks + 1));
    out.push(eRecord(at + 10_000, ports, tasks));
  }
  const v7: RRecord = {
    ...rRecord(
      hourUs + 5,
      { local: 443, peer: 55555 },
      { uploadUs: 3, processUs: 40, downloadUs: 7 },
    ),
    version: 'V7',
    srttUs: 120,
    cwnd: 10,
    extensions: 'HF',
    handshakeUs: 900,
    firstFrame: [
      { bytes: 120, us: 15 },
      { bytes: 0, us: 0 },
    ],
  };
  out.push(v7, eRecord(hourUs + 50, { local: 443, peer: 55555 }));
  out.push(
    rRecord(
      hourUs + 70,
      { local: 80, peer: 55556, peerIp: '2001:db8::7' },
      { uploadUs: 1, processUs: 2, downloadUs: 3 },
    ),
  );
  for (let p = 0; p < 40; p++)
    out.push(pRecord(hourUs + p * 3_000_000, { local: 41000 + p, peer: 3306 }, 200 + p * 17));
  out.push(eRecord(hourUs + 999, { local: 41000, peer: 3306 }));
  // A local server on the peer port of those clients, in the same minute: separate rollups.
  out.push(
    rRecord(
      hourUs + 10,
      { local: 3306, peer: 56000 },
      { uploadUs: 4, processUs: 5, downloadUs: 6 },
    ),
  );
  return out;
}

const allRollups = (db: Db) =>
  db.prepare('SELECT * FROM rollups ORDER BY width_sec, port, peer, start_sec').all();

it('stores every record in order, each rebuildable to its exact log line, across multi-row chunks and flushes', async () => {
  const records = traffic();
  const writer = new DatabaseWriter(batched);
  // Uneven flushes: whole 64-row chunks, a remainder of single rows, and a flush smaller than a chunk.
  const cuts = [0, 700, 733, records.length];
  for (let i = 1; i < cuts.length; i++) {
    for (const r of records.slice(cuts[i - 1], cuts[i])) writer.add(r);
    await writer.flush();
  }
  expect(writer.writtenCount).toBe(records.length);
  expect(writer.pendingCount).toBe(0);
  await writer.close();
  const rows = batched.prepare('SELECT * FROM records ORDER BY id').all() as RecordRow[];
  expect(rows.map((row) => storedRecordFromRow(row).line)).toEqual(records.map(formatLogLine));
  // A connection's records (2 R, W, E) share one id; the next connection has the next id.
  const second = rows.filter((row) => row.peer_port === 30001);
  expect(second.map((row) => row.kind)).toEqual(['R', 'R', 'W', 'E']);
  expect(new Set(second.map((row) => row.connection_id))).toEqual(new Set([2]));
  expect(rows.find((row) => row.peer_port === 30002)?.connection_id).toBe(3);
});

it('builds the same rollups batched per flush as folding record by record', async () => {
  const records = traffic();
  const writer = new DatabaseWriter(batched);
  // Many batches: each reuses the histograms of the rollups the batches before it sent.
  for (const [i, r] of records.entries()) {
    writer.add(r);
    if (i % 50 === 49) await writer.flush();
  }
  await writer.close();

  const store = new RollupStore(perRecord);
  const connections = new ConnectionIds(0);
  perRecord.transaction(() => {
    for (const r of records) {
      const one = new RollupBuffer();
      one.add(r, connections.assign(r).peer);
      for (const rollup of one.drain()) store.add(rollup);
    }
  })();

  const expected = allRollups(perRecord);
  expect(expected.length).toBeGreaterThan(50);
  expect(allRollups(batched)).toEqual(expected);
});

it('keeps at most its bound of records unstored when records come faster than SQLite stores them', async () => {
  const writer = new DatabaseWriter(batched);
  const total = 12 * MAX_UNSTORED_ROWS;
  const startUs = Date.UTC(2026, 5, 1) * 1000;
  let mostPending = 0;
  // One synchronous loop: the event loop never runs, so only the writer's own waiting can bound the backlog.
  for (let i = 0; i < total; i++) {
    writer.add(
      rRecord(
        startUs + i,
        { local: 80, peer: 20000 + (i % 20000) },
        { uploadUs: 1, processUs: 2, downloadUs: 3 },
      ),
    );
    mostPending = Math.max(mostPending, writer.pendingCount);
  }
  expect(mostPending).toBeLessThanOrEqual(MAX_UNSTORED_ROWS + BATCH_ROWS);
  await writer.close();
  expect(writer.writtenCount).toBe(total);
  expect((batched.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n).toBe(
    total,
  );
});
