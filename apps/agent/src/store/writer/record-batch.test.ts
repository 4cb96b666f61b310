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

it('hands a full batch its own array and builds the next in an array the writer moved back', () => {
  const builder = new RecordBatchBuilder(0, CAPACITY_ROWS, new RouteGrouper());
  const fill = (fromUs: number) => {
    for (let i = 0; i < CAPACITY_ROWS; i++)
      builder.add(eRecord(fromUs + i, { local: 80, peer: 30000 + i }));
  };
  fill(1_000_000);
  const first = builder.take()!;
  expect(first.reusable).toBe(true);
  expect(first.values.length).toBe(CAPACITY_ROWS * RECORD_INSERT_VALUES);
  const firstRows = Array.from({ length: CAPACITY_ROWS }, (_, row) => rowOf(first, row));

  // The writer thread moves the array back once written: the batch after the one being built
  // (taking the builder's array now) is built in it.
  builder.recycleValues(first.values);
  fill(5_000_000);
  const second = builder.take()!;
  expect(second.values).not.toBe(first.values);
  fill(7_000_000);
  const third = builder.take()!;
  expect(third.values).toBe(first.values);
  // Column 3 is the start in µs: each batch's rows are its own, none left from an earlier one.
  expect(firstRows[0]![3]).toBe(1_000_000);
  expect(rowOf(second, 0)[3]).toBe(5_000_000);
  expect(rowOf(third, 0)[3]).toBe(7_000_000);
  expect(rowOf(third, CAPACITY_ROWS - 1)[3]).toBe(7_000_000 + CAPACITY_ROWS - 1);
  // A partial batch still gets a copy of its rows only.
  builder.add(eRecord(9_000_000, { local: 80, peer: 40000 }));
  const partial = builder.take()!;
  expect(partial.reusable).toBe(false);
  expect(partial.values.length).toBe(RECORD_INSERT_VALUES);
});
