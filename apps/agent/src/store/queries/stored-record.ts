import { downloadLimits, formatLogLine, type StoredRecord } from '@tcprt/schema';
import { httpExchangeOfRow, recordFromRow, type RecordRow } from '../record-row';

/** A row as the API returns it, with its exact log line rebuilt from the stored fields. */
export function storedRecordFromRow(row: RecordRow): StoredRecord {
  const extensions = row.extra_json
    ? (JSON.parse(row.extra_json) as { extensions: string }).extensions
    : '';
  const record = recordFromRow(row);
  const http = httpExchangeOfRow(row);
  const chrono = record.type === 'R' || record.type === 'W' ? record.download : undefined;
  const limits = chrono && downloadLimits(row.download_us ?? 0, row.bytes_sent ?? 0, chrono);
  return {
    id: row.id,
    connectionId: row.connection_id,
    version: row.version === 7 ? 'V7' : 'V6',
    kind: row.kind,
    extensions,
    startUs: row.start_us,
    peerAddr: row.peer_addr,
    peerPort: row.peer_port,
    localAddr: row.local_addr,
    localPort: row.local_port,
    taskNumber: row.task_num,
    totalUs: row.total_us,
    uploadUs: row.upload_us,
    processUs: row.process_us,
    downloadUs: row.download_us,
    bytesSent: row.bytes_sent,
    bytesReceived: row.bytes_received,
    retransmits: row.retrans,
    minRttUs: row.min_rtt_us,
    mss: row.mss,
    reorder: row.reorder === null ? null : row.reorder === 1,
    line: formatLogLine(record),
    close: record.type === 'E' ? (record.close ?? null) : null,
    closeReason: row.close_reason,
    download: chrono && limits ? { chrono, ...limits } : null,
    http: http && row.http_route !== null ? { ...http, route: row.http_route } : null,
  };
}
