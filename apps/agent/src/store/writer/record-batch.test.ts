import { expect, it } from 'vitest';
import { eRecord, nRecord, rRecord } from '../../../test/fixtures/records';
import { RouteGrouper } from '../../endpoints/route-grouper';
import { RECORD_INSERT_VALUES } from '../record-row';
import { RecordBatchBuilder, unpackRow } from './record-batch';

const CAPACITY_ROWS = 64;

function rowOf(batch: NonNullable<ReturnType<RecordBatchBuilder['take']>>, row: number): unknown[] {
  const out: unknown[] = [];
  unpackRow(batch, row, out, 0);
  return out;
}

it('sends each batch an array of exactly its rows, untouched by the batches built after it', () => {
  const builder = new RecordBatchBuilder(0, CAPACITY_ROWS, new RouteGrouper());
  builder.add(
    rRecord(1_000_000, { local: 80, peer: 40000 }, { uploadUs: 5, processUs: 700, downloadUs: 20 }),
  );
  builder.add(eRecord(1_100_000, { local: 80, peer: 40000 }));
  const first = builder.take()!;
  expect(first.rows).toBe(2);
  expect(first.values.length).toBe(2 * RECORD_INSERT_VALUES);
  expect(first.values.byteLength).toBe(first.values.buffer.byteLength);
  const before = [rowOf(first, 0), rowOf(first, 1)];

  // The builder reuses its working array: the rows it now writes must not reach the first batch.
  builder.add(nRecord(2_000_000, { local: 81, peer: 40001 }));
  const second = builder.take()!;
  expect(second.rows).toBe(1);
  expect(second.values.length).toBe(RECORD_INSERT_VALUES);
  expect([rowOf(first, 0), rowOf(first, 1)]).toEqual(before);
  expect(rowOf(second, 0)).not.toEqual(before[0]);
  expect(builder.take()).toBeNull();
});
