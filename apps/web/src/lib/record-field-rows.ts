import {
  RECORD_FIELDS,
  type RecordColumn,
  type RecordFieldKey,
  type RecordType,
  type TcprtRecord,
} from '@tcprt/schema';
import { formatBytes, formatUs } from './format';

/**
 * What the console calls each numbered field of a record, per type, in display order; null for
 * a field shown elsewhere (the task number is in the page title). Typed over the schema's field
 * table (RECORD_FIELDS): a field added there does not compile until it has a label here.
 */
export const FIELD_LABELS: { [T in RecordType]: Record<RecordFieldKey<T>, string | null> } = {
  R: {
    bytesReceived: 'Request bytes received',
    bytesSent: 'Response bytes sent',
    totalUs: 'Total (T3−T0)',
    uploadUs: 'Upload (T1−T0)',
    processUs: 'Process (T2−T1)',
    minRttUs: 'min RTT',
    retrans: 'Retransmits in task',
    reorder: 'Reordered request',
    mss: 'MSS',
    taskNum: null,
  },
  W: {
    bytesSent: 'Response bytes sent',
    bytesUnacked: 'Unacknowledged at close',
    elapsedUs: 'Elapsed until close',
    uploadUs: 'Upload (T1−T0)',
    processUs: 'Process (T2−T1)',
    minRttUs: 'min RTT',
    retrans: 'Retransmits in task',
    reorder: 'Reordered request',
    mss: 'MSS',
    taskNum: null,
  },
  N: {
    bytesReceived: 'Request bytes received',
    elapsedUs: 'Elapsed receiving',
    reorder: 'Reordered request',
    mss: 'MSS',
    taskNum: null,
  },
  P: {
    bytesSent: 'Request bytes sent',
    bytesReceived: 'Response bytes received',
    totalUs: 'Task time',
    serviceUs: 'Service time',
    receiveUs: 'Response receive time',
    minRttUs: 'min RTT',
    retrans: 'Retransmits in task',
    reorder: 'Reordered response',
    mss: 'MSS',
    taskNum: null,
  },
  E: {
    taskNum: 'Last task number',
    bytesSent: 'Bytes sent over the connection',
    bytesUnacked: 'Unacknowledged at close',
    bytesReceived: 'Bytes received over the connection',
    retrans: 'Retransmits',
    minRttUs: 'min RTT',
  },
};

/** A field's value as text, by the common column it is kept in (the unit follows from it). */
function formatColumn(type: RecordType, column: RecordColumn, value: number): string {
  switch (column) {
    case 'bytesSent':
    case 'bytesReceived':
    case 'bytesUnacked':
      return formatBytes(value);
    case 'totalUs':
    case 'uploadUs':
    case 'processUs':
    case 'downloadUs':
    case 'minRttUs':
      return formatUs(value);
    case 'mss':
      return `${value} B`;
    case 'reorder':
      if (!value) return 'no';
      return type === 'R' ? 'yes (out-of-order queue was not empty)' : 'yes';
    case 'taskNum':
    case 'retrans':
      return String(value);
  }
}

export interface FieldRow {
  key: string;
  label: string;
  value: string;
}

/** The labelled numbered fields of a record, in display order. */
export function recordFieldRows(r: TcprtRecord): FieldRow[] {
  const labels: Partial<Record<string, string | null>> = FIELD_LABELS[r.type];
  const columns = new Map<string, RecordColumn>(
    RECORD_FIELDS[r.type].map(({ key, column }) => [key, column]),
  );
  const values = r as unknown as Record<string, number>;
  return Object.keys(labels).flatMap((key) => {
    const label = labels[key];
    const column = columns.get(key);
    if (!label || !column) return [];
    return [{ key, label, value: formatColumn(r.type, column, values[key]!) }];
  });
}
