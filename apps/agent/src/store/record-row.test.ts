import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RECORD_COLUMNS,
  RECORD_FIELDS,
  RECORD_TYPES,
  taskPhases,
  unfinishedTaskPhases,
  type RecordColumn,
  type TcprtRecord,
} from '@tcprt/schema';
import { recordArbitrary } from '@tcprt/schema/test/arbitraries';
import { unpackRow } from './writer/record-batch';
import {
  PACKED_NULL,
  RECORD_INSERT_COLUMNS,
  RECORD_INSERT_VALUES,
  ROW_COLUMNS,
  packInsertValues,
  recordFromRow,
  type RecordRow,
} from './record-row';

/*
 * packInsertValues is written out per type for speed; these hold it, and recordFromRow, to the
 * schema's one field table (RECORD_FIELDS) and phase split (task-phases.ts).
 */

/** The store keeps a start time as µs in a double, exact below 2^53 µs (the year 2255), as the decoder makes it. */
const STORABLE_START_SEC = Math.floor(Number.MAX_SAFE_INTEGER / 1_000_000);
const storableRecord = recordArbitrary.map((r): TcprtRecord => ({
  ...r,
  startSec: r.startSec % STORABLE_START_SEC,
}));

const COLUMN_NAMES = RECORD_INSERT_COLUMNS.split(',').map((c) => c.trim());

/** The row SQLite would store for `r`: packed, unpacked as the writer thread binds it, named. */
function rowOf(r: TcprtRecord, id = 1, route: string | null = null): RecordRow {
  const texts: string[] = [];
  const text = (s: string) => texts.push(s) - 1;
  const values = new Float64Array(RECORD_INSERT_VALUES);
  packInsertValues(r, 42, values, 0, text, route);
  const bound: unknown[] = [];
  unpackRow({ rows: 1, values, reusable: false, texts, rollups: [], routes: [] }, 0, bound, 0);
  return {
    id,
    ...Object.fromEntries(COLUMN_NAMES.map((name, i) => [name, bound[i]])),
  } as unknown as RecordRow;
}

/** The common columns a record's phases fill (task-phases.ts), by type. */
function phaseColumns(r: TcprtRecord): Partial<Record<RecordColumn, number | null>> {
  switch (r.type) {
    case 'R':
    case 'P':
      return taskPhases(r);
    case 'W':
    case 'N': {
      const { elapsedUs, ...rest } = unfinishedTaskPhases(r);
      return { totalUs: elapsedUs, ...rest };
    }
    case 'E':
      return {};
  }
}

describe('record rows', () => {
  it('give back every generated record exactly (record → row → record)', () => {
    fc.assert(
      fc.property(storableRecord, (r) => {
        expect(recordFromRow(rowOf(r))).toEqual(r);
      }),
      { numRuns: 2000 },
    );
  });

  it('generate records of every type, V6 and V7, for the round trip', () => {
    const sample = fc.sample(storableRecord, { numRuns: 500, seed: 7 });
    for (const type of RECORD_TYPES) expect(sample.some((r) => r.type === type)).toBe(true);
    expect(sample.some((r) => r.type === 'R' && r.version === 'V7' && r.firstFrame)).toBe(true);
  });

  it('keep each field of the table in its column, the phases in theirs, and NULL in the rest', () => {
    fc.assert(
      fc.property(storableRecord, (r) => {
        const row = rowOf(r);
        const fields = r as unknown as Record<string, number>;
        const expected: Partial<Record<RecordColumn, number | null>> = phaseColumns(r);
        for (const { key, column } of RECORD_FIELDS[r.type]) {
          // A field that is a phase (R processUs, P serviceUs) is that phase, as task-phases.ts says.
          if (column in expected) expect(expected[column]).toBe(fields[key]);
          expected[column] = fields[key];
        }
        for (const column of RECORD_COLUMNS)
          expect([column, row[ROW_COLUMNS[column]]]).toEqual([column, expected[column] ?? null]);
      }),
      { numRuns: 1000 },
    );
  });

  it('have a column for every common column of the table, and a value for every column', () => {
    for (const column of RECORD_COLUMNS) expect(COLUMN_NAMES).toContain(ROW_COLUMNS[column]);
    expect(RECORD_INSERT_VALUES).toBe(COLUMN_NAMES.length);
    expect(Number.isNaN(PACKED_NULL)).toBe(true);
  });
});

describe('verdict columns', () => {
  const header = {
    version: 'V6' as const,
    startSec: 1_800_000_000,
    startUsec: 5,
    peer: { ip: '10.0.0.2', port: 40_000 },
    local: { ip: '10.0.0.1', port: 80 },
  };

  it('keep an E record’s close detail and its reason, outside the log line fields', () => {
    const e: TcprtRecord = {
      type: 'E',
      ...header,
      taskNum: 3,
      bytesSent: 10,
      bytesUnacked: 0,
      bytesReceived: 20,
      retrans: 0,
      minRttUs: 50,
      close: {
        first: 'fin_received',
        abort: null,
        phase: 'processing',
        phaseUs: 100_000,
        protocolEnds: [],
      },
    };
    const row = rowOf(e);
    expect(row.close_reason).toBe('peer_gave_up');
    expect(recordFromRow(row)).toEqual(e);
  });

  it('keep an R record’s chronographs and the split they give, in ‰ and bytes/s', () => {
    const r: TcprtRecord = {
      type: 'R',
      ...header,
      bytesSent: 2_000_000,
      totalUs: 1_001_000,
      minRttUs: 50,
      retrans: 0,
      taskNum: 1,
      processUs: 500,
      uploadUs: 500,
      bytesReceived: 80,
      reorder: 0,
      mss: 1448,
      download: { busyUs: 1_000_000, rwndLimitedUs: 850_000, sndbufLimitedUs: 0 },
    };
    const row = rowOf(r);
    expect([
      row.receiver_limited_permille,
      row.network_limited_permille,
      row.application_limited_permille,
      row.download_bytes_per_sec,
    ]).toEqual([850, 150, 0, 2_000_000]);
    expect(recordFromRow(row)).toEqual(r);
  });
});

describe('HTTP columns', () => {
  const task: TcprtRecord = {
    type: 'R',
    version: 'V7',
    startSec: 1_800_000_000,
    startUsec: 5,
    peer: { ip: '10.0.0.2', port: 40_000 },
    local: { ip: '10.0.0.1', port: 80 },
    bytesSent: 512,
    totalUs: 1_000,
    minRttUs: 50,
    retrans: 0,
    taskNum: 1,
    processUs: 500,
    uploadUs: 100,
    bytesReceived: 80,
    reorder: 0,
    mss: 1448,
    srttUs: 60,
    cwnd: 10,
    extensions: '',
    http: { method: 'GET', path: '/users/42', pathTruncated: false, status: 503 },
  };

  it("keep an R record's request line, status and route, outside the log line fields", () => {
    const row = rowOf(task, 1, '/users/{n}');
    expect([
      row.http_method,
      row.http_path,
      row.http_path_truncated,
      row.http_route,
      row.http_status,
    ]).toEqual(['GET', '/users/42', 0, '/users/{n}', 503]);
    expect(recordFromRow(row)).toEqual(task);
  });

  it('keep a cut path and a missing status of a W record', () => {
    const w: TcprtRecord = {
      type: 'W',
      version: 'V7',
      startSec: 1_800_000_000,
      startUsec: 5,
      peer: { ip: '10.0.0.2', port: 40_000 },
      local: { ip: '10.0.0.1', port: 80 },
      bytesSent: 0,
      elapsedUs: 5000,
      minRttUs: 50,
      retrans: 0,
      taskNum: 2,
      processUs: 4000,
      uploadUs: 100,
      bytesUnacked: 0,
      reorder: 0,
      mss: 1448,
      http: { method: 'POST', path: '/a'.repeat(48), pathTruncated: true, status: null },
    };
    const row = rowOf(w, 1, '/a/*');
    expect([row.http_path_truncated, row.http_status, row.http_route]).toEqual([1, null, '/a/*']);
    expect(recordFromRow(row)).toEqual(w);
  });

  it('are NULL for a record without a request', () => {
    const { http: _, ...plain } = task;
    const row = rowOf(plain);
    expect([row.http_method, row.http_path, row.http_route, row.http_status]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });
});
