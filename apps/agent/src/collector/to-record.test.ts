import {
  formatLogLine,
  parseLogLine,
  RECORD_FIELDS,
  RECORD_TYPES,
  tcprtRecordSchema,
  type RecordColumn,
  type RecordType,
} from '@tcprt/schema';
import { describe, expect, it } from 'vitest';
import type { KernelRecord } from './frames';
import { toTcprtRecord } from './to-record';

const base: KernelRecord = {
  type: 'R',
  family: 4,
  peerSide: false,
  mode: 'default',
  reorder: 0,
  localPort: 80,
  remotePort: 40000,
  taskNum: 2,
  localAddr: Uint8Array.from([10, 0, 0, 1]),
  remoteAddr: Uint8Array.from([10, 0, 0, 2]),
  startMonotonicNs: 5_000_123_456n,
  bytesSent: 512,
  bytesReceived: 80,
  bytesUnacked: 7,
  totalUs: 300,
  processUs: 200,
  uploadUs: 50,
  serviceUs: 11,
  receiveUs: 22,
  minRttUs: 30,
  retrans: 1,
  mss: 1448,
  srttUs: 44,
  cwnd: 10,
  extensionBits: 0,
  handshakeUs: null,
  firstFrame: [
    { stepBytes: 100, us: 90, bytes: 260 },
    { stepBytes: 0, us: 0, bytes: 0 },
    { stepBytes: 2000, us: 150, bytes: 65_796 },
    { stepBytes: 20_000, us: 0, bytes: 0 },
  ],
  close: null,
  download: null,
  http: null,
};
// Wall clock = monotonic + offset: 1_700_000_000 s exactly at monotonic 0.
const OFFSET_NS = 1_700_000_000_000_000_000n;

function line(k: Partial<KernelRecord>): string {
  const record = toTcprtRecord({ ...base, ...k }, OFFSET_NS);
  expect(tcprtRecordSchema.safeParse(record).success).toBe(true);
  return formatLogLine(record);
}

describe('toTcprtRecord', () => {
  it('converts the monotonic start to a wall-clock header, truncating to µs', () => {
    expect(line({})).toBe(
      'V6 R 1700000005 123 10.0.0.2:40000 10.0.0.1:80 512 300 30 1 2 200 50 80 0 1448 \n',
    );
  });

  it('puts each kernel field where the SPEC puts it for every record type', () => {
    expect(line({ type: 'W' })).toBe(
      'V6 W 1700000005 123 10.0.0.2:40000 10.0.0.1:80 512 300 30 1 2 200 50 7 0 1448 \n',
    );
    expect(line({ type: 'N', reorder: 1 })).toBe(
      'V6 N 1700000005 123 10.0.0.2:40000 10.0.0.1:80 2 300 80 1 1448 \n',
    );
    expect(line({ type: 'E' })).toBe(
      'V6 E 1700000005 123 10.0.0.2:40000 10.0.0.1:80 2 512 7 80 1 30 \n',
    );
    expect(line({ type: 'P', peerSide: true })).toBe(
      'V6 P 1700000005 123 10.0.0.2:40000 10.0.0.1:80 512 300 30 1 2 11 22 80 0 1448 \n',
    );
  });

  it('writes V7 with srtt and cwnd for http and https ports', () => {
    expect(line({ mode: 'https' })).toBe(
      'V7 R 1700000005 123 10.0.0.2:40000 10.0.0.1:80 512 300 30 1 2 200 50 80 0 1448 44 10 \n',
    );
    expect(line({ mode: 'http', type: 'E' })).toBe(
      'V7 E 1700000005 123 10.0.0.2:40000 10.0.0.1:80 2 512 7 80 1 30 \n',
    );
  });

  it('writes the extension letters and their fields on V7 R records only', () => {
    const head =
      'V7 R.ZH 1700000005 123 10.0.0.2:40000 10.0.0.1:80 512 300 30 1 2 200 50 80 0 1448 44 10';
    expect(line({ mode: 'https', extensionBits: 0b01010, handshakeUs: 2_345 })).toBe(
      `${head} 2345 \n`,
    );
    // TLS 1.2 handshakes have no duration; F adds one token per non-zero step (0:0 = not reached).
    expect(line({ mode: 'http', extensionBits: 0b10100 })).toBe(
      'V7 R.AF 1700000005 123 10.0.0.2:40000 10.0.0.1:80 512 300 30 1 2 200 50 80 0 1448 44 10 260:90 65796:150 0:0 \n',
    );
    expect(line({ mode: 'https', extensionBits: 0b01000 })).toBe(
      'V7 R.H 1700000005 123 10.0.0.2:40000 10.0.0.1:80 512 300 30 1 2 200 50 80 0 1448 44 10 \n',
    );
    // Default mode stays V6 whatever the kernel put in the V7 fields.
    expect(line({ extensionBits: 0b11111, handshakeUs: 9 })).toBe(
      'V6 R 1700000005 123 10.0.0.2:40000 10.0.0.1:80 512 300 30 1 2 200 50 80 0 1448 \n',
    );
  });

  it("carries the kernel's HTTP exchange on R and W records, never in the log line", () => {
    const http = { method: 'GET', path: '/slow/123', pathTruncated: false, status: 200 } as const;
    for (const type of ['R', 'W'] as const) {
      const record = toTcprtRecord({ ...base, type, mode: 'http', http }, OFFSET_NS);
      expect(tcprtRecordSchema.parse(record)).toMatchObject({ type, http });
      expect(formatLogLine(record)).toBe(line({ type, mode: 'http' }));
    }
    expect(toTcprtRecord({ ...base, mode: 'http' }, OFFSET_NS)).not.toHaveProperty('http');
  });

  it('prints IPv6 in brackets and IPv4-mapped IPv6 as plain IPv4', () => {
    const v6 = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    const mapped = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1]);
    const record = parseLogLine(line({ family: 6, localAddr: v6, remoteAddr: mapped }));
    expect(record.local).toEqual({ ip: '::1', port: 80 });
    expect(record.peer).toEqual({ ip: '127.0.0.1', port: 40000 });
  });
});

/**
 * tcprt.h's "Field use by type": the kernel field a common column comes from. The kernel keeps a
 * P's service and receive times apart from an R's process time and the (derived) download.
 */
function kernelFieldOf(type: RecordType, column: RecordColumn): keyof KernelRecord {
  if (type === 'P' && column === 'processUs') return 'serviceUs';
  if (type === 'P' && column === 'downloadUs') return 'receiveUs';
  if (column === 'downloadUs') throw new Error(`${type}: no kernel field holds downloadUs`);
  return column;
}

describe('toTcprtRecord against the field table', () => {
  // Every kernel number distinct, so a field read from the wrong one shows.
  const distinct: KernelRecord = {
    ...base,
    reorder: 1,
    taskNum: 1001,
    bytesSent: 1002,
    bytesReceived: 1003,
    bytesUnacked: 1004,
    totalUs: 1005,
    processUs: 1006,
    uploadUs: 1007,
    serviceUs: 1008,
    receiveUs: 1009,
    minRttUs: 1010,
    retrans: 1011,
    mss: 1012,
  };

  it.each(RECORD_TYPES)(
    'gives a %s record the fields of RECORD_FIELDS, in line order, from their kernel fields',
    (type) => {
      const record = toTcprtRecord({ ...distinct, type }, OFFSET_NS) as unknown as Record<
        string,
        unknown
      >;
      const header = ['type', 'version', 'startSec', 'startUsec', 'peer', 'local'];
      expect(Object.keys(record)).toEqual([...header, ...RECORD_FIELDS[type].map((f) => f.key)]);
      for (const { key, column } of RECORD_FIELDS[type])
        expect([key, record[key]]).toEqual([key, distinct[kernelFieldOf(type, column)]]);
    },
  );
});
