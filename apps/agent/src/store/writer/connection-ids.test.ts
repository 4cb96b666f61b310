import { expect, it } from 'vitest';
import { eRecord, rRecord } from '../../../test/fixtures/records';
import { ConnectionIds } from './connection-ids';

const ports = { local: 80, peer: 40000 };
const task = (taskNum: number) =>
  rRecord(1_000_000 * taskNum, ports, { uploadUs: 1, processUs: 1, downloadUs: 1, taskNum });

it('keeps a tuple one connection until its E, then starts a new one', () => {
  const ids = new ConnectionIds(10);
  const first = [task(1), task(2), eRecord(3_000_000, ports, 2)].map((r) => ids.assign(r).id);
  const second = [task(1), eRecord(5_000_000, ports, 1)].map((r) => ids.assign(r).id);
  expect(first).toEqual([11, 11, 11]);
  expect(second).toEqual([12, 12]);
  expect(ids.openCount).toBe(0);
});

it('starts a new connection when task numbers start over, as after a lost E record', () => {
  const ids = new ConnectionIds(0);
  const old = [1, 2, 3, 4].map((n) => ids.assign(task(n)).id);
  // The old connection's E was lost; the tuple's next connection has one task and its E.
  const next = [ids.assign(task(1)).id, ids.assign(eRecord(9_000_000, ports, 1)).id];
  expect(new Set(old)).toEqual(new Set([1]));
  expect(next).toEqual([2, 2]);
});
