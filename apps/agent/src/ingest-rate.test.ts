import { expect, it } from 'vitest';
import { IngestRate } from './ingest-rate';

it('files counted records under the second they are sampled in and averages the last complete seconds', () => {
  const rate = new IngestRate(10);
  const at = (sec: number) => sec * 1000 + 500;
  rate.add(300);
  rate.add();
  rate.sample(at(100));
  expect(rate.perSec(at(100))).toBe(0); // second 100 is not complete yet
  expect(rate.perSec(at(101))).toBe(30.1);
  // Added before the window's second 105 is sampled: filed there, whatever second add() ran in.
  rate.add(1000);
  expect(rate.perSec(at(105))).toBe(30.1); // perSec samples too, but counts only complete seconds
  expect(rate.perSec(at(106))).toBe(130.1);
  expect(rate.perSec(at(111))).toBe(100); // second 100 left the window
  expect(rate.perSec(at(116))).toBe(0);
});
