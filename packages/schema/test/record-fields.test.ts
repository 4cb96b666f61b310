import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  eRecordSchema,
  LOG_FIELD_KEYS,
  nRecordSchema,
  pRecordSchema,
  RECORD_COLUMNS,
  RECORD_FIELDS,
  RECORD_TYPES,
  rRecordSchema,
  wRecordSchema,
} from '../src/index';
import { recordArbitrary } from './arbitraries';

const HEADER_KEYS = ['type', 'version', 'startSec', 'startUsec', 'peer', 'local'];
/** V7 R fields after the numbered ten: not columns (the store keeps them as extra JSON). */
const R_V7_KEYS = ['srttUs', 'cwnd', 'extensions', 'handshakeUs', 'firstFrame'];
/** Kernel details never in a log line (DESIGN §7): E's close detail, R's and W's chronographs and HTTP exchange. */
const DETAIL_KEYS = ['close', 'download', 'http'];

const SCHEMAS = {
  R: rRecordSchema,
  W: wRecordSchema,
  N: nRecordSchema,
  E: eRecordSchema,
  P: pRecordSchema,
};

describe('RECORD_FIELDS', () => {
  it.each(RECORD_TYPES)('lists the %s schema fields, in its (line) order', (type) => {
    const keys = Object.keys(SCHEMAS[type].shape).filter(
      (k) =>
        !HEADER_KEYS.includes(k) &&
        !DETAIL_KEYS.includes(k) &&
        !(type === 'R' && R_V7_KEYS.includes(k)),
    );
    expect(RECORD_FIELDS[type].map((f) => f.key)).toEqual(keys);
    expect(LOG_FIELD_KEYS[type]).toEqual(keys);
  });

  it.each(RECORD_TYPES)('keeps each %s field in a column of its own', (type) => {
    const columns = RECORD_FIELDS[type].map((f) => f.column);
    expect(new Set(columns).size).toBe(columns.length);
    for (const column of columns) expect(RECORD_COLUMNS).toContain(column);
  });

  it('uses every common column for some type', () => {
    const used = new Set(RECORD_TYPES.flatMap((t) => RECORD_FIELDS[t].map((f) => f.column)));
    expect([...used].sort()).toEqual([...RECORD_COLUMNS].sort());
  });

  it('names exactly the numbered fields a record of each type has', () => {
    fc.assert(
      fc.property(recordArbitrary, (r) => {
        const keys = Object.keys(r).filter(
          (k) => !HEADER_KEYS.includes(k) && !R_V7_KEYS.includes(k) && !DETAIL_KEYS.includes(k),
        );
        expect(keys.sort()).toEqual(RECORD_FIELDS[r.type].map((f) => f.key).sort());
      }),
    );
  });
});
