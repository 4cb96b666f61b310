import { expect, it } from 'vitest';
import { useTempDatabase } from '../../../../test/support/tempDatabase';
import { rRecord } from '../../../../test/fixtures/records';
import { RECORD_INSERT_COLUMNS, RECORD_INSERT_VALUES } from '../../record-row';
import { RouteGrouper } from '../../../endpoints/route-grouper';
import { RecordBatchBuilder } from '../record-batch';
import { BatchInserter } from './batch-inserter';

const temp = useTempDatabase('batch-inserter');
const { count } = temp;

// The row INSERTs may leave a failing statement's earlier rows in place (OR FAIL): this checks
// that the batch's transaction still takes back all of them, its other statements and its rollups.
it('stores nothing of a batch when one of its rows is refused, in the middle of a multi-row INSERT', () => {
  const rows = 200;
  const batcher = new RecordBatchBuilder(0, rows, new RouteGrouper());
  for (let i = 0; i < rows; i++) {
    batcher.add(
      rRecord(
        Date.UTC(2026, 5, 1, 10) * 1000 + i * 1000,
        { local: 80, peer: 30000 + i },
        { uploadUs: 10, processUs: 100, downloadUs: 5 },
      ),
    );
  }
  const batch = batcher.take()!;
  const startUs = RECORD_INSERT_COLUMNS.split(',').findIndex((c) => c.trim() === 'start_us');
  // start_us is NOT NULL; NaN packs NULL. Row 100 sits in the second 64-row statement, after the first whole one.
  batch.values[100 * RECORD_INSERT_VALUES + startUs] = NaN;
  const writer = new BatchInserter(temp.db);
  expect(() => writer.write(batch)).toThrow(/NOT NULL/);
  expect(count('records')).toBe(0);
  expect(count('rollups')).toBe(0);

  batch.values[100 * RECORD_INSERT_VALUES + startUs] = Date.UTC(2026, 5, 1, 10) * 1000;
  writer.write(batch);
  expect(count('records')).toBe(rows);
  expect(count('rollups')).toBeGreaterThan(0);
});
