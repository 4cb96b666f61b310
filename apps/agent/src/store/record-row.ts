import type { FirstFrameStep, RRecord, TcprtRecord } from '@tcprt/schema';

/** The `records` table's columns, as better-sqlite3 binds and returns them. */
export interface RecordRow {
  id: number;
  connection_id: number;
  kind: TcprtRecord['type'];
  version: 6 | 7;
  start_us: number;
  peer_addr: string;
  peer_port: number;
  local_addr: string;
  local_port: number;
  task_num: number;
  total_us: number | null;
  upload_us: number | null;
  process_us: number | null;
  download_us: number | null;
  bytes_sent: number | null;
  bytes_received: number | null;
  bytes_unacked: number | null;
  retrans: number | null;
  min_rtt_us: number | null;
  mss: number | null;
  reorder: 0 | 1 | null;
  extra_json: string | null;
}

/** V7-only R fields kept in `extra_json`. */
interface V7Extra {
  srttUs: number;
  cwnd: number;
  extensions: string;
  handshakeUs?: number;
  firstFrame?: FirstFrameStep[];
}

/** download = total − upload − process (SPEC §1); clamped at 0 for W records cut short at close. */
function downloadOf(totalUs: number, uploadUs: number, processUs: number): number {
  return Math.max(0, totalUs - uploadUs - processUs);
}

export const RECORD_INSERT_COLUMNS =
  'connection_id, kind, version, start_us, peer_addr, peer_port, local_addr, local_port, task_num, ' +
  'total_us, upload_us, process_us, download_us, bytes_sent, bytes_received, bytes_unacked, retrans, ' +
  'min_rtt_us, mss, reorder, extra_json';

function v7Extra(r: RRecord): string | null {
  if (r.version !== 'V7') return null;
  const extra: V7Extra = {
    srttUs: r.srttUs ?? 0,
    cwnd: r.cwnd ?? 0,
    extensions: r.extensions ?? '',
  };
  if (r.handshakeUs !== undefined) extra.handshakeUs = r.handshakeUs;
  if (r.firstFrame !== undefined) extra.firstFrame = r.firstFrame;
  return JSON.stringify(extra);
}

/** How many values one record binds: one per column of RECORD_INSERT_COLUMNS. */
export const RECORD_INSERT_VALUES = RECORD_INSERT_COLUMNS.split(',').length;

const TEXT_COLUMNS = new Set(['kind', 'peer_addr', 'local_addr', 'extra_json']);
/** Per value of RECORD_INSERT_COLUMNS: true for the text columns, whose values are strings (or NULL). */
export const RECORD_TEXT_VALUES: readonly boolean[] = RECORD_INSERT_COLUMNS.split(',').map((c) =>
  TEXT_COLUMNS.has(c.trim()),
);

/** NULL in a packed row (every stored number is a non-negative integer, so NaN is free to mean it). */
export const PACKED_NULL = NaN;

/**
 * Writes a record's INSERT values, in the column order of RECORD_INSERT_COLUMNS, into `out` from
 * `at` on: numbers as they are, NULL as PACKED_NULL, text as the index `text` gives it (the batch's
 * table of distinct strings). Written out per type on purpose: this runs for every record at
 * ingest rates where allocations count.
 */
export function packInsertValues(
  r: TcprtRecord,
  connectionId: number,
  out: Float64Array,
  at: number,
  text: (s: string) => number,
): void {
  const N = PACKED_NULL;
  out[at] = connectionId;
  out[at + 1] = text(r.type);
  out[at + 2] = r.version === 'V7' ? 7 : 6;
  out[at + 3] = r.startSec * 1_000_000 + r.startUsec;
  out[at + 4] = text(r.peer.ip);
  out[at + 5] = r.peer.port;
  out[at + 6] = text(r.local.ip);
  out[at + 7] = r.local.port;
  out[at + 8] = r.taskNum;
  const i = at + 9;
  // total, upload, process, download, bytes sent, bytes received, bytes unacked, retrans, min RTT, mss, reorder, extra
  switch (r.type) {
    case 'R': {
      out[i] = r.totalUs;
      out[i + 1] = r.uploadUs;
      out[i + 2] = r.processUs;
      out[i + 3] = downloadOf(r.totalUs, r.uploadUs, r.processUs);
      out[i + 4] = r.bytesSent;
      out[i + 5] = r.bytesReceived;
      out[i + 6] = N;
      out[i + 7] = r.retrans;
      out[i + 8] = r.minRttUs;
      out[i + 9] = r.mss;
      out[i + 10] = r.reorder;
      const extra = v7Extra(r);
      out[i + 11] = extra === null ? N : text(extra);
      return;
    }
    case 'W':
      out[i] = r.elapsedUs;
      out[i + 1] = r.uploadUs;
      out[i + 2] = r.processUs;
      out[i + 3] = downloadOf(r.elapsedUs, r.uploadUs, r.processUs);
      out[i + 4] = r.bytesSent;
      out[i + 5] = N;
      out[i + 6] = r.bytesUnacked;
      out[i + 7] = r.retrans;
      out[i + 8] = r.minRttUs;
      out[i + 9] = r.mss;
      out[i + 10] = r.reorder;
      out[i + 11] = N;
      return;
    case 'N':
      out[i] = r.elapsedUs;
      out[i + 1] = r.elapsedUs;
      out[i + 2] = N;
      out[i + 3] = N;
      out[i + 4] = N;
      out[i + 5] = r.bytesReceived;
      out[i + 6] = N;
      out[i + 7] = N;
      out[i + 8] = N;
      out[i + 9] = r.mss;
      out[i + 10] = r.reorder;
      out[i + 11] = N;
      return;
    case 'E':
      out[i] = N;
      out[i + 1] = N;
      out[i + 2] = N;
      out[i + 3] = N;
      out[i + 4] = r.bytesSent;
      out[i + 5] = r.bytesReceived;
      out[i + 6] = r.bytesUnacked;
      out[i + 7] = r.retrans;
      out[i + 8] = r.minRttUs;
      out[i + 9] = N;
      out[i + 10] = N;
      out[i + 11] = N;
      return;
    case 'P':
      // Client side: the service time plays the process role, the response receive time the download role.
      out[i] = r.totalUs;
      out[i + 1] = Math.max(0, r.totalUs - r.serviceUs - r.receiveUs);
      out[i + 2] = r.serviceUs;
      out[i + 3] = r.receiveUs;
      out[i + 4] = r.bytesSent;
      out[i + 5] = r.bytesReceived;
      out[i + 6] = N;
      out[i + 7] = r.retrans;
      out[i + 8] = r.minRttUs;
      out[i + 9] = r.mss;
      out[i + 10] = r.reorder;
      out[i + 11] = N;
      return;
  }
}

function must(value: number | null, column: string, id: number): number {
  if (value === null) throw new Error(`record ${id}: column ${column} is NULL`);
  return value;
}

/** Rebuilds the record exactly as the collector delivered it. */
export function recordFromRow(row: RecordRow): TcprtRecord {
  const n = (column: keyof RecordRow) => must(row[column] as number | null, column, row.id);
  const reorder = row.reorder ?? 0;
  const head = {
    version: row.version === 7 ? ('V7' as const) : ('V6' as const),
    startSec: Math.floor(row.start_us / 1_000_000),
    startUsec: row.start_us % 1_000_000,
    peer: { ip: row.peer_addr, port: row.peer_port },
    local: { ip: row.local_addr, port: row.local_port },
  };
  switch (row.kind) {
    case 'R': {
      const extra = row.extra_json ? (JSON.parse(row.extra_json) as V7Extra) : null;
      return {
        type: 'R',
        ...head,
        bytesSent: n('bytes_sent'),
        totalUs: n('total_us'),
        minRttUs: n('min_rtt_us'),
        retrans: n('retrans'),
        taskNum: row.task_num,
        processUs: n('process_us'),
        uploadUs: n('upload_us'),
        bytesReceived: n('bytes_received'),
        reorder,
        mss: n('mss'),
        ...(extra ?? {}),
      };
    }
    case 'W':
      return {
        type: 'W',
        ...head,
        bytesSent: n('bytes_sent'),
        elapsedUs: n('total_us'),
        minRttUs: n('min_rtt_us'),
        retrans: n('retrans'),
        taskNum: row.task_num,
        processUs: n('process_us'),
        uploadUs: n('upload_us'),
        bytesUnacked: n('bytes_unacked'),
        reorder,
        mss: n('mss'),
      };
    case 'N':
      return {
        type: 'N',
        ...head,
        taskNum: row.task_num,
        elapsedUs: n('total_us'),
        bytesReceived: n('bytes_received'),
        reorder,
        mss: n('mss'),
      };
    case 'E':
      return {
        type: 'E',
        ...head,
        taskNum: row.task_num,
        bytesSent: n('bytes_sent'),
        bytesUnacked: n('bytes_unacked'),
        bytesReceived: n('bytes_received'),
        retrans: n('retrans'),
        minRttUs: n('min_rtt_us'),
      };
    case 'P':
      return {
        type: 'P',
        ...head,
        bytesSent: n('bytes_sent'),
        totalUs: n('total_us'),
        minRttUs: n('min_rtt_us'),
        retrans: n('retrans'),
        taskNum: row.task_num,
        serviceUs: n('process_us'),
        receiveUs: n('download_us'),
        bytesReceived: n('bytes_received'),
        reorder,
        mss: n('mss'),
      };
  }
}
