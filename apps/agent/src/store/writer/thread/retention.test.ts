import { statSync } from 'node:fs';
import { expect, it } from 'vitest';
import { useTempDatabase } from '../../../../test/support/tempDatabase';
import { rRecord } from '../../../../test/fixtures/records';
import { BATCH_ROWS, DatabaseWriter } from '../database-writer';
import { Retention } from './retention';

const temp = useTempDatabase('retention');
const { count } = temp;

it('deletes records and rollups older than the age limit, then the oldest while over size', async () => {
  const nowMs = Date.UTC(2026, 5, 1);
  const writer = new DatabaseWriter(temp.db);
  for (let i = 0; i < 3000; i++) {
    const ageSec = i < 1000 ? 10 * 86_400 : 3600;
    writer.add(
      rRecord(
        (nowMs / 1000 - ageSec) * 1e6 + i,
        { local: 80, peer: 40000 + (i % 1000) },
        { uploadUs: 1, processUs: 2, downloadUs: 3 },
      ),
    );
  }
  await writer.close();
  expect(count('records')).toBe(3000);
  const byAge = new Retention(temp.db, { maxAgeSec: 7 * 86_400, maxSizeBytes: 1024 ** 3 });
  expect(byAge.run(nowMs)).toBe(1000);
  expect(count('records')).toBe(2000);
  expect(
    (temp.db.prepare('SELECT min(start_us) AS m FROM records').get() as { m: number }).m,
  ).toBeGreaterThan((nowMs / 1000 - 7 * 86_400) * 1e6);
  expect(
    (
      temp.db
        .prepare('SELECT count(*) AS n FROM rollups WHERE start_sec < ?')
        .get(nowMs / 1000 - 7 * 86_400) as { n: number }
    ).n,
  ).toBe(0);

  const limit = byAge.usedBytes() - 1;
  const bySize = new Retention(temp.db, { maxAgeSec: 7 * 86_400, maxSizeBytes: limit });
  expect(bySize.run(nowMs)).toBeGreaterThan(0);
  expect(count('records')).toBeLessThan(2000);
  expect(bySize.usedBytes()).toBeLessThanOrEqual(limit);
});

it('keeps the 10 s rollups for a day and the coarser ones as long as the records', async () => {
  const nowMs = Date.UTC(2026, 5, 1);
  const writer = new DatabaseWriter(temp.db);
  for (const ageSec of [2 * 86_400, 3600]) {
    writer.add(
      rRecord(
        (nowMs / 1000 - ageSec) * 1e6,
        { local: 80, peer: 40000 },
        { uploadUs: 1, processUs: 2, downloadUs: 3 },
      ),
    );
  }
  await writer.close();
  new Retention(temp.db, { maxAgeSec: 7 * 86_400, maxSizeBytes: 1024 ** 3 }).run(nowMs);
  const rollupStarts = (widthSec: number) =>
    (
      temp.db
        .prepare('SELECT start_sec FROM rollups WHERE width_sec = ? ORDER BY start_sec')
        .all(widthSec) as { start_sec: number }[]
    ).map((r) => nowMs / 1000 - r.start_sec);
  expect(rollupStarts(10)).toEqual([3600]);
  expect(rollupStarts(60)).toEqual([2 * 86_400, 3600]);
  expect(count('records')).toBe(2);
});

it('keeps the database and its WAL within the size limit plus one batch, after every batch', async () => {
  const limit = 4 * 1024 ** 2;
  const writer = new DatabaseWriter(temp.db, { maxAgeSec: 365 * 86_400, maxSizeBytes: limit });
  const onDisk = () =>
    ['', '-wal'].reduce((sum, suffix) => {
      try {
        return sum + statSync(temp.db.name + suffix).size;
      } catch {
        return sum;
      }
    }, 0);
  const startUs = Date.now() * 1000;
  let batchBytes = 0;
  let peak = 0;
  for (let batch = 0; batch < 30; batch++) {
    for (let i = 0; i < BATCH_ROWS; i++) {
      const n = batch * BATCH_ROWS + i;
      writer.add(
        rRecord(
          startUs + n,
          { local: 80, peer: 1024 + (n % 60_000) },
          { uploadUs: n % 997, processUs: n % 7919, downloadUs: 3 },
        ),
      );
    }
    await writer.flush();
    if (batch === 0) batchBytes = onDisk();
    peak = Math.max(peak, onDisk());
  }
  const deleted = writer.deletedCount;
  await writer.close();
  console.log(
    `size limit ${limit} B: peak on disk (database + WAL) ${peak} B, one batch ≈ ${batchBytes} B, ${deleted} of ${30 * BATCH_ROWS} records deleted`,
  );
  expect(deleted).toBeGreaterThan(0);
  expect(peak).toBeLessThanOrEqual(limit + batchBytes);
});
