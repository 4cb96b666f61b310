import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MAX_GROUPED_RECORDS, recordsPeersInputSchema } from '@tcprt/schema';
import { makeTempDir, type TempDir } from '@tcprt/testkit/tempDir';
import { openDatabase, type Db } from '../database';
import { RecordQueries } from './record-queries';

let dir: TempDir;
let db: Db;
beforeEach(async () => {
  dir = await makeTempDir('peers');
  db = openDatabase(path.join(dir.path, 'tcprt.db'));
});
afterEach(async () => {
  db.close();
  await dir.remove();
});

/** Rows straight into `records`: the aggregate reads only these columns. */
function insert(rows: { startUs: number; peer: string; kind?: string; totalUs: number | null }[]) {
  const statement = db.prepare(
    `INSERT INTO records (connection_id, kind, version, start_us, peer_addr, peer_port, local_addr,
       local_port, task_num, total_us) VALUES (1, ?, 6, ?, ?, 40000, '127.0.0.1', 8080, 1, ?)`,
  );
  db.transaction(() => {
    for (const r of rows) statement.run(r.kind ?? 'R', r.startUs, r.peer, r.totalUs);
  })();
}

const peers = (input: Record<string, unknown>) =>
  new RecordQueries(db).peers(recordsPeersInputSchema.parse(input));

/** Nearest rank, independent of the SQL: the value at rank ⌈q·n⌉ of the sorted totals. */
function nearestRank(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(q * sorted.length) - 1]!;
}

it('gives each peer its count and nearest-rank p50/p99/max total, slowest or busiest first', () => {
  const totals: Record<string, number[]> = {
    '10.0.0.1': Array.from({ length: 301 }, (_, i) => ((i * 7919) % 301) * 10 + 5),
    '10.0.0.2': [90_000, 1, 2],
    '2001:db8::3': Array.from({ length: 40 }, (_, i) => 1000 + i),
  };
  let startUs = 1_000_000;
  for (const [peer, values] of Object.entries(totals))
    insert(values.map((totalUs) => ({ startUs: startUs++, peer, totalUs })));
  // E records have no total: they are not in any peer's count.
  insert([{ startUs: startUs++, peer: '10.0.0.9', kind: 'E', totalUs: null }]);

  const slowest = peers({});
  expect(slowest.peers.map((p) => p.peerAddr)).toEqual(['10.0.0.2', '10.0.0.1', '2001:db8::3']);
  for (const p of slowest.peers) {
    const values = totals[p.peerAddr]!;
    expect(p).toEqual({
      peerAddr: p.peerAddr,
      count: values.length,
      p50TotalUs: nearestRank(values, 0.5),
      p99TotalUs: nearestRank(values, 0.99),
      maxTotalUs: Math.max(...values),
    });
  }
  expect(slowest).toMatchObject({ peerCount: 3, recordCount: 344, capped: false });
  expect(peers({ by: 'busiest', limit: 2 }).peers.map((p) => [p.peerAddr, p.count])).toEqual([
    ['10.0.0.1', 301],
    ['2001:db8::3', 40],
  ]);
  // The list's filters apply: only totals of at least 1030 µs, only one peer.
  expect(peers({ minTotalUs: 1030, peerAddr: '2001:db8::3' }).peers).toEqual([
    { peerAddr: '2001:db8::3', count: 10, p50TotalUs: 1034, p99TotalUs: 1039, maxTotalUs: 1039 },
  ]);
  expect(peers({ fromMs: 0, toMs: 1 })).toEqual({
    peers: [],
    peerCount: 0,
    recordCount: 0,
    capped: false,
  });
});

it('reads the newest MAX_GROUPED_RECORDS records and says so when more match', () => {
  // The oldest record is the slowest: once it falls outside the cap, no peer shows it.
  insert([{ startUs: 1, peer: '10.0.0.1', totalUs: 5_000_000 }]);
  insert(
    Array.from({ length: MAX_GROUPED_RECORDS }, (_, i) => ({
      startUs: 1000 + i,
      peer: `10.0.${i % 2}.1`,
      totalUs: 100,
    })),
  );
  const capped = peers({});
  expect(capped).toMatchObject({ recordCount: MAX_GROUPED_RECORDS, capped: true, peerCount: 2 });
  expect(capped.peers.map((p) => p.maxTotalUs)).toEqual([100, 100]);
  const exactlyAll = peers({ fromMs: 1 });
  expect(exactlyAll).toMatchObject({ recordCount: MAX_GROUPED_RECORDS, capped: false });
});
