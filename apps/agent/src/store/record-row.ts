import type { FirstFrameStep, TcprtRecord } from '@tcprt/schema';

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

const NO_COLUMNS = {
  total_us: null,
  upload_us: null,
  process_us: null,
  download_us: null,
  bytes_sent: null,
  bytes_received: null,
  bytes_unacked: null,
  retrans: null,
  min_rtt_us: null,
  mss: null,
  reorder: null,
  extra_json: null,
} as const;

/** download = total − upload − process (SPEC §1); clamped at 0 for W records cut short at close. */
function downloadOf(totalUs: number, uploadUs: number, processUs: number): number {
  return Math.max(0, totalUs - uploadUs - processUs);
}

export function rowFromRecord(r: TcprtRecord, connectionId: number): Omit<RecordRow, 'id'> {
  const head = {
    connection_id: connectionId,
    kind: r.type,
    version: r.version === 'V7' ? 7 : 6,
    start_us: r.startSec * 1_000_000 + r.startUsec,
    peer_addr: r.peer.ip,
    peer_port: r.peer.port,
    local_addr: r.local.ip,
    local_port: r.local.port,
    task_num: r.taskNum,
  } as const;
  switch (r.type) {
    case 'R': {
      const extra: V7Extra | null =
        r.version === 'V7'
          ? {
              srttUs: r.srttUs ?? 0,
              cwnd: r.cwnd ?? 0,
              extensions: r.extensions ?? '',
              ...(r.handshakeUs !== undefined && { handshakeUs: r.handshakeUs }),
              ...(r.firstFrame !== undefined && { firstFrame: r.firstFrame }),
            }
          : null;
      return {
        ...head,
        ...NO_COLUMNS,
        total_us: r.totalUs,
        upload_us: r.uploadUs,
        process_us: r.processUs,
        download_us: downloadOf(r.totalUs, r.uploadUs, r.processUs),
        bytes_sent: r.bytesSent,
        bytes_received: r.bytesReceived,
        retrans: r.retrans,
        min_rtt_us: r.minRttUs,
        mss: r.mss,
        reorder: r.reorder,
        extra_json: extra ? JSON.stringify(extra) : null,
      };
    }
    case 'W':
      return {
        ...head,
        ...NO_COLUMNS,
        total_us: r.elapsedUs,
        upload_us: r.uploadUs,
        process_us: r.processUs,
        download_us: downloadOf(r.elapsedUs, r.uploadUs, r.processUs),
        bytes_sent: r.bytesSent,
        bytes_unacked: r.bytesUnacked,
        retrans: r.retrans,
        min_rtt_us: r.minRttUs,
        mss: r.mss,
        reorder: r.reorder,
      };
    case 'N':
      return {
        ...head,
        ...NO_COLUMNS,
        total_us: r.elapsedUs,
        upload_us: r.elapsedUs,
        bytes_received: r.bytesReceived,
        mss: r.mss,
        reorder: r.reorder,
      };
    case 'E':
      return {
        ...head,
        ...NO_COLUMNS,
        bytes_sent: r.bytesSent,
        bytes_unacked: r.bytesUnacked,
        bytes_received: r.bytesReceived,
        retrans: r.retrans,
        min_rtt_us: r.minRttUs,
      };
    case 'P':
      // Client side: the service time plays the process role, the response receive time the download role.
      return {
        ...head,
        ...NO_COLUMNS,
        total_us: r.totalUs,
        process_us: r.serviceUs,
        download_us: r.receiveUs,
        upload_us: Math.max(0, r.totalUs - r.serviceUs - r.receiveUs),
        bytes_sent: r.bytesSent,
        bytes_received: r.bytesReceived,
        retrans: r.retrans,
        min_rtt_us: r.minRttUs,
        mss: r.mss,
        reorder: r.reorder,
      };
  }
}

function must(value: number | null, column: string, id: number): number {
  if (value === null) throw new Error(`record ${id}: column ${column} is NULL`);
  return value;
}

/** Rebuilds the record exactly as the collector delivered it. */
export function recordFromRow(row: RecordRow): TcprtRecord {
  const n = (column: keyof RecordRow) => must(row[column] as number | null, column, row.id);
  const reorder = (row.reorder ?? 0) as 0 | 1;
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
