import {
  closeReason,
  downloadLimits,
  RECORD_FIELDS,
  taskPhases,
  unfinishedTaskPhases,
  writeTaskPhases,
  type CloseDetail,
  type CloseReason,
  type DownloadChrono,
  type FirstFrameStep,
  type HttpExchange,
  type HttpMethod,
  type RecordColumn,
  type RRecord,
  type TaskPhases,
  type TcprtRecord,
} from '@tcprt/schema';

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
  close_reason: CloseReason | null;
  close_json: string | null;
  download_json: string | null;
  receiver_limited_permille: number | null;
  network_limited_permille: number | null;
  application_limited_permille: number | null;
  download_bytes_per_sec: number | null;
  http_method: HttpMethod | null;
  http_path: string | null;
  http_path_truncated: 0 | 1 | null;
  http_route: string | null;
  http_status: number | null;
}

/** V7-only R fields kept in `extra_json`. */
interface V7Extra {
  srttUs: number;
  cwnd: number;
  extensions: string;
  handshakeUs?: number;
  firstFrame?: FirstFrameStep[];
}

/**
 * The `records` table's column for each of the schema's common record columns (RECORD_COLUMNS).
 * The four time columns hold a record's phases (task-phases.ts): a field that is a phase (an R's
 * processUs, a P's serviceUs) and the phases derived beside it share those columns.
 */
export const ROW_COLUMNS = {
  taskNum: 'task_num',
  totalUs: 'total_us',
  uploadUs: 'upload_us',
  processUs: 'process_us',
  downloadUs: 'download_us',
  bytesSent: 'bytes_sent',
  bytesReceived: 'bytes_received',
  bytesUnacked: 'bytes_unacked',
  retrans: 'retrans',
  minRttUs: 'min_rtt_us',
  mss: 'mss',
  reorder: 'reorder',
} as const satisfies Record<RecordColumn, keyof RecordRow>;

export const RECORD_INSERT_COLUMNS =
  'connection_id, kind, version, start_us, peer_addr, peer_port, local_addr, local_port, task_num, ' +
  'total_us, upload_us, process_us, download_us, bytes_sent, bytes_received, bytes_unacked, retrans, ' +
  'min_rtt_us, mss, reorder, extra_json, close_reason, close_json, download_json, ' +
  'receiver_limited_permille, network_limited_permille, application_limited_permille, download_bytes_per_sec, ' +
  'http_method, http_path, http_path_truncated, http_route, http_status';

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

const TEXT_COLUMNS = new Set([
  'kind',
  'peer_addr',
  'local_addr',
  'extra_json',
  'close_reason',
  'close_json',
  'download_json',
  'http_method',
  'http_path',
  'http_route',
]);
/** Per value of RECORD_INSERT_COLUMNS: true for the text columns, whose values are strings (or NULL). */
export const RECORD_TEXT_VALUES: readonly boolean[] = RECORD_INSERT_COLUMNS.split(',').map((c) =>
  TEXT_COLUMNS.has(c.trim()),
);

/** NULL in a packed row (every stored number is a non-negative integer, so NaN is free to mean it). */
export const PACKED_NULL = NaN;

/** How many values packVerdicts writes: close_reason … download_bytes_per_sec. */
const VERDICT_VALUES = 7;

/**
 * The kernel details no log line carries (DESIGN §7): an E's close detail and reason, an R's or
 * W's download chronographs and the split they give, from `at` on (NULL where there are none).
 */
function packVerdicts(
  r: TcprtRecord,
  out: Float64Array,
  at: number,
  text: (s: string) => number,
): void {
  out.fill(PACKED_NULL, at, at + VERDICT_VALUES);
  if (r.type === 'E' && r.close) {
    out[at] = text(closeReason(r.close));
    out[at + 1] = text(JSON.stringify(r.close));
    return;
  }
  if ((r.type !== 'R' && r.type !== 'W') || !r.download) return;
  const downloadUs =
    r.type === 'R' ? taskPhases(r).downloadUs : (unfinishedTaskPhases(r).downloadUs ?? 0);
  out[at + 2] = text(JSON.stringify(r.download));
  const limits = downloadLimits(downloadUs, r.bytesSent, r.download);
  if (!limits) return;
  out[at + 3] = Math.round(limits.receiverShare * 1000);
  out[at + 4] = Math.round(limits.networkShare * 1000);
  out[at + 5] = Math.round(limits.applicationShare * 1000);
  out[at + 6] = limits.bytesPerSec === null ? PACKED_NULL : Math.round(limits.bytesPerSec);
}

/** How many values packHttp writes: http_method … http_status. */
const HTTP_VALUES = 5;

/** An R's or W's HTTP request line and status (http mode) and the route it was grouped under. */
function packHttp(
  r: TcprtRecord,
  route: string | null,
  out: Float64Array,
  at: number,
  text: (s: string) => number,
): void {
  const http = r.type === 'R' || r.type === 'W' ? r.http : undefined;
  if (!http || route === null) {
    out.fill(PACKED_NULL, at, at + HTTP_VALUES);
    return;
  }
  out[at] = text(http.method);
  out[at + 1] = text(http.path);
  out[at + 2] = http.pathTruncated ? 1 : 0;
  out[at + 3] = text(route);
  out[at + 4] = http.status ?? PACKED_NULL;
}

/** The R/P split packInsertValues writes, reused: no object per record. */
const taskSplit: TaskPhases = { totalUs: 0, uploadUs: 0, processUs: 0, downloadUs: 0 };

/**
 * Writes a record's INSERT values, in the column order of RECORD_INSERT_COLUMNS, into `out` from
 * `at` on: numbers as they are, NULL as PACKED_NULL, text as the index `text` gives it (the batch's
 * table of distinct strings). `route` is the route of the record's HTTP request (null: none). Written out per type on purpose, rather than walking RECORD_FIELDS:
 * this runs for every record at ingest rates. record-row.test.ts holds it to the table.
 */
export function packInsertValues(
  r: TcprtRecord,
  connectionId: number,
  out: Float64Array,
  at: number,
  text: (s: string) => number,
  route: string | null = null,
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
  packVerdicts(r, out, i + 12, text);
  packHttp(r, route, out, i + 12 + VERDICT_VALUES, text);
  // total, upload, process, download, bytes sent, bytes received, bytes unacked, retrans, min RTT, mss, reorder, extra
  switch (r.type) {
    case 'R':
    case 'P': {
      // A finished task. Client side (P): the service time plays the process role, the response
      // receive time the download role (taskPhases).
      writeTaskPhases(r, taskSplit);
      out[i] = taskSplit.totalUs;
      out[i + 1] = taskSplit.uploadUs;
      out[i + 2] = taskSplit.processUs;
      out[i + 3] = taskSplit.downloadUs;
      out[i + 4] = r.bytesSent;
      out[i + 5] = r.bytesReceived;
      out[i + 6] = N;
      out[i + 7] = r.retrans;
      out[i + 8] = r.minRttUs;
      out[i + 9] = r.mss;
      out[i + 10] = r.reorder;
      const extra = r.type === 'R' ? v7Extra(r) : null;
      out[i + 11] = extra === null ? N : text(extra);
      return;
    }
    case 'W': {
      const phases = unfinishedTaskPhases(r);
      out[i] = phases.elapsedUs;
      out[i + 1] = phases.uploadUs;
      out[i + 2] = phases.processUs;
      out[i + 3] = phases.downloadUs;
      out[i + 4] = r.bytesSent;
      out[i + 5] = N;
      out[i + 6] = r.bytesUnacked;
      out[i + 7] = r.retrans;
      out[i + 8] = r.minRttUs;
      out[i + 9] = r.mss;
      out[i + 10] = r.reorder;
      out[i + 11] = N;
      return;
    }
    case 'N': {
      // The request was still arriving: all of the elapsed time is upload, later phases NULL.
      const phases = unfinishedTaskPhases(r);
      out[i] = phases.elapsedUs;
      out[i + 1] = phases.uploadUs;
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
    }
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
  }
}

function must(value: number | null, column: string, id: number): number {
  if (value === null) throw new Error(`record ${id}: column ${column} is NULL`);
  return value;
}

/** Rebuilds the record exactly as the collector delivered it: each field from its column. */
export function recordFromRow(row: RecordRow): TcprtRecord {
  const record: Record<string, unknown> = {
    type: row.kind,
    version: row.version === 7 ? 'V7' : 'V6',
    startSec: Math.floor(row.start_us / 1_000_000),
    startUsec: row.start_us % 1_000_000,
    peer: { ip: row.peer_addr, port: row.peer_port },
    local: { ip: row.local_addr, port: row.local_port },
  };
  for (const { key, column } of RECORD_FIELDS[row.kind]) {
    const name = ROW_COLUMNS[column];
    // reorder is 0/1 where a type has it; NULL was never written for one that does.
    record[key] = column === 'reorder' ? (row.reorder ?? 0) : must(row[name], name, row.id);
  }
  if (row.kind === 'R' && row.extra_json)
    Object.assign(record, JSON.parse(row.extra_json) as V7Extra);
  if (row.close_json) record.close = JSON.parse(row.close_json) as CloseDetail;
  if (row.download_json) record.download = JSON.parse(row.download_json) as DownloadChrono;
  const http = httpExchangeOfRow(row);
  if (http) record.http = http;
  return record as TcprtRecord;
}

/** The stored HTTP exchange of an R or W row, or null when it had none. */
export function httpExchangeOfRow(row: RecordRow): HttpExchange | null {
  if (row.http_method === null || row.http_path === null) return null;
  return {
    method: row.http_method,
    path: row.http_path,
    pathTruncated: row.http_path_truncated === 1,
    status: row.http_status,
  };
}
