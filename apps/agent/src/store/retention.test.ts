import { afterEach, beforeEach, expect, it } from 'vitest';
import path from 'node:path';
import { makeTempDir, type TempDir } from '../../test/support/tempDir';
import { rRecord } from '../../test/fixtures/records';
import { openDatabase, type Db } from './database';
import { RecordWriter } from './record-writer';
import { Retention } from './retention';

let dir: TempDir;
let db: Db;
beforeEach(async () => {
  dir = await makeTempDir('retention');
  db = openDatabase(path.join(dir.path, 'tcprt.db'));
});
afterEach(async () => {
  db.close();
  await dir.remove();
});

const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

it('deletes records and rollups older than the age limit, then the oldest while over size', async () => {
  const nowMs = Date.UTC(2026, 5, 1);
  const writer = new RecordWriter(db);
  for (let i = 0; i < 3000; i++) {
    const ageSec = i < 1000 ? 10 * 86_400 : 3600;
    writer.add(rRecord((nowMs / 1000 - ageSec) * 1e6 + i, { local: 80, peer: 40000 + (i % 1000) }, { uploadUs: 1, processUs: 2, downloadUs: 3 }));
  }
  await writer.close();
  expect(count('records')).toBe(3000);
  const byAge = new Retention(db, { maxAgeSec: 7 * 86_400, maxSizeBytes: 1024 ** 3 });
  expect(byAge.run(nowMs)).toBe(1000);
  expect(count('records')).toBe(2000);
  expect((db.prepare('SELECT min(start_us) AS m FROM records').get() as { m: number }).m).toBeGreaterThan((nowMs / 1000 - 7 * 86_400) * 1e6);
  expect((db.prepare('SELECT count(*) AS n FROM rollups WHERE start_sec < ?').get(nowMs / 1000 - 7 * 86_400) as { n: number }).n).toBe(0);

  const limit = byAge.usedBytes() - 1;
  const bySize = new Retention(db, { maxAgeSec: 7 * 86_400, maxSizeBytes: limit });
  expect(bySize.run(nowMs)).toBeGreaterThan(0);
  expect(count('records')).toBeLessThan(2000);
  expect(bySize.usedBytes()).toBeLessThanOrEqual(limit);
});
