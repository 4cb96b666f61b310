import type { RecordType, TcprtRecord } from './records';

/*
 * The one table of a record's numbered fields (SPEC §2): which fields each type has, in line
 * order, and which common column each is kept in. Types name their fields after what they mean
 * (a W's `elapsedUs`, a P's `serviceUs`), the columns after the role they play, so one set of
 * columns holds every type: the agent's `records` table has one column per entry of
 * RECORD_COLUMNS. The log-line format derives its field order from this table; the agent's
 * decoder and row packing, written per type for speed, and the console's field list are tested
 * against it.
 */

/** The common columns, one per role, whatever a type calls the field. */
export const RECORD_COLUMNS = [
  'taskNum',
  /** R/P total, W/N elapsed until close. */
  'totalUs',
  'uploadUs',
  /** R/W process, P service. */
  'processUs',
  /** P receive (for R/W the store derives the download phase: task-phases.ts). */
  'downloadUs',
  'bytesSent',
  'bytesReceived',
  'bytesUnacked',
  'retrans',
  'minRttUs',
  'mss',
  'reorder',
] as const;
export type RecordColumn = (typeof RECORD_COLUMNS)[number];

/** One numbered field of a record type: its key in the record, and its common column. */
export interface RecordField<T extends RecordType = RecordType> {
  key: keyof Extract<TcprtRecord, { type: T }> & string;
  column: RecordColumn;
}

/** Per record type, its numbered fields in line order (field 1 first). */
export const RECORD_FIELDS = {
  R: [
    { key: 'bytesSent', column: 'bytesSent' },
    { key: 'totalUs', column: 'totalUs' },
    { key: 'minRttUs', column: 'minRttUs' },
    { key: 'retrans', column: 'retrans' },
    { key: 'taskNum', column: 'taskNum' },
    { key: 'processUs', column: 'processUs' },
    { key: 'uploadUs', column: 'uploadUs' },
    { key: 'bytesReceived', column: 'bytesReceived' },
    { key: 'reorder', column: 'reorder' },
    { key: 'mss', column: 'mss' },
  ],
  W: [
    { key: 'bytesSent', column: 'bytesSent' },
    { key: 'elapsedUs', column: 'totalUs' },
    { key: 'minRttUs', column: 'minRttUs' },
    { key: 'retrans', column: 'retrans' },
    { key: 'taskNum', column: 'taskNum' },
    { key: 'processUs', column: 'processUs' },
    { key: 'uploadUs', column: 'uploadUs' },
    { key: 'bytesUnacked', column: 'bytesUnacked' },
    { key: 'reorder', column: 'reorder' },
    { key: 'mss', column: 'mss' },
  ],
  N: [
    { key: 'taskNum', column: 'taskNum' },
    { key: 'elapsedUs', column: 'totalUs' },
    { key: 'bytesReceived', column: 'bytesReceived' },
    { key: 'reorder', column: 'reorder' },
    { key: 'mss', column: 'mss' },
  ],
  E: [
    { key: 'taskNum', column: 'taskNum' },
    { key: 'bytesSent', column: 'bytesSent' },
    { key: 'bytesUnacked', column: 'bytesUnacked' },
    { key: 'bytesReceived', column: 'bytesReceived' },
    { key: 'retrans', column: 'retrans' },
    { key: 'minRttUs', column: 'minRttUs' },
  ],
  P: [
    { key: 'bytesSent', column: 'bytesSent' },
    { key: 'totalUs', column: 'totalUs' },
    { key: 'minRttUs', column: 'minRttUs' },
    { key: 'retrans', column: 'retrans' },
    { key: 'taskNum', column: 'taskNum' },
    { key: 'serviceUs', column: 'processUs' },
    { key: 'receiveUs', column: 'downloadUs' },
    { key: 'bytesReceived', column: 'bytesReceived' },
    { key: 'reorder', column: 'reorder' },
    { key: 'mss', column: 'mss' },
  ],
} as const satisfies { [T in RecordType]: readonly RecordField<T>[] };

/** The keys of a type's numbered fields. */
export type RecordFieldKey<T extends RecordType> = (typeof RECORD_FIELDS)[T][number]['key'];

/** Per record type, the keys of its numbered fields in line order. */
export const LOG_FIELD_KEYS = {
  R: RECORD_FIELDS.R.map((f) => f.key),
  W: RECORD_FIELDS.W.map((f) => f.key),
  N: RECORD_FIELDS.N.map((f) => f.key),
  E: RECORD_FIELDS.E.map((f) => f.key),
  P: RECORD_FIELDS.P.map((f) => f.key),
} satisfies { [T in RecordType]: readonly RecordFieldKey<T>[] };
