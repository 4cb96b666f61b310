import { describe, expect, it } from 'vitest';
import { formatLogLine, parseLogLine, type TcprtRecord } from '../src/index';

const v4 = { peer: { ip: '10.0.0.2', port: 51234 }, local: { ip: '10.0.0.1', port: 80 } };
const v6 = { peer: { ip: '2001:db8::2', port: 40000 }, local: { ip: '2001:db8::1', port: 443 } };
const rFields = {
  bytesSent: 512,
  totalUs: 200345,
  minRttUs: 45,
  retrans: 0,
  taskNum: 1,
  processUs: 200100,
  uploadUs: 12,
  bytesReceived: 78,
  reorder: 0,
  mss: 1448,
} as const;

// Hand-written expected lines (SPEC §2), one per record type and V7 extension combination.
const golden: [string, TcprtRecord, string][] = [
  [
    'V6 R',
    { type: 'R', version: 'V6', startSec: 1700000000, startUsec: 123456, ...v4, ...rFields },
    'V6 R 1700000000 123456 10.0.0.2:51234 10.0.0.1:80 512 200345 45 0 1 200100 12 78 0 1448 \n',
  ],
  [
    'V6 W',
    {
      type: 'W', version: 'V6', startSec: 1700000001, startUsec: 5, ...v4,
      bytesSent: 100000, elapsedUs: 3000, minRttUs: 4294967295, retrans: 2, taskNum: 3,
      processUs: 10, uploadUs: 0, bytesUnacked: 65000, reorder: 1, mss: 65483,
    },
    'V6 W 1700000001 5 10.0.0.2:51234 10.0.0.1:80 100000 3000 4294967295 2 3 10 0 65000 1 65483 \n',
  ],
  [
    'V6 N',
    { type: 'N', version: 'V6', startSec: 1700000002, startUsec: 999999, ...v4, taskNum: 2, elapsedUs: 150, bytesReceived: 40, reorder: 0, mss: 1448 },
    'V6 N 1700000002 999999 10.0.0.2:51234 10.0.0.1:80 2 150 40 0 1448 \n',
  ],
  [
    'V6 E',
    { type: 'E', version: 'V6', startSec: 1700000003, startUsec: 0, ...v4, taskNum: 7, bytesSent: 9000, bytesUnacked: 0, bytesReceived: 700, retrans: 1, minRttUs: 30 },
    'V6 E 1700000003 0 10.0.0.2:51234 10.0.0.1:80 7 9000 0 700 1 30 \n',
  ],
  [
    'V6 P',
    {
      type: 'P', version: 'V6', startSec: 1700000004, startUsec: 77, peer: { ip: '127.0.0.1', port: 3306 }, local: { ip: '127.0.0.1', port: 45678 },
      bytesSent: 33, totalUs: 900, minRttUs: 20, retrans: 0, taskNum: 4, serviceUs: 800, receiveUs: 50, bytesReceived: 1200, reorder: 0, mss: 65483,
    },
    'V6 P 1700000004 77 127.0.0.1:3306 127.0.0.1:45678 33 900 20 0 4 800 50 1200 0 65483 \n',
  ],
  [
    'V7 R plain',
    { type: 'R', version: 'V7', startSec: 1, startUsec: 2, ...v4, ...rFields, srttUs: 60, cwnd: 10, extensions: '' },
    'V7 R 1 2 10.0.0.2:51234 10.0.0.1:80 512 200345 45 0 1 200100 12 78 0 1448 60 10 \n',
  ],
  [
    'V7 R.C',
    { type: 'R', version: 'V7', startSec: 1, startUsec: 2, ...v4, ...rFields, bytesSent: 25, srttUs: 60, cwnd: 10, extensions: 'C' },
    'V7 R.C 1 2 10.0.0.2:51234 10.0.0.1:80 25 200345 45 0 1 200100 12 78 0 1448 60 10 \n',
  ],
  [
    'V7 R.Z over IPv6',
    { type: 'R', version: 'V7', startSec: 1, startUsec: 2, ...v6, ...rFields, srttUs: 61, cwnd: 11, extensions: 'Z' },
    'V7 R.Z 1 2 [2001:db8::2]:40000 [2001:db8::1]:443 512 200345 45 0 1 200100 12 78 0 1448 61 11 \n',
  ],
  [
    'V7 R.A',
    { type: 'R', version: 'V7', startSec: 1, startUsec: 2, ...v6, ...rFields, srttUs: 62, cwnd: 12, extensions: 'A' },
    'V7 R.A 1 2 [2001:db8::2]:40000 [2001:db8::1]:443 512 200345 45 0 1 200100 12 78 0 1448 62 12 \n',
  ],
  [
    'V7 R.H of TLS 1.2 (no handshake duration)',
    { type: 'R', version: 'V7', startSec: 1, startUsec: 2, ...v4, ...rFields, srttUs: 63, cwnd: 10, extensions: 'H' },
    'V7 R.H 1 2 10.0.0.2:51234 10.0.0.1:80 512 200345 45 0 1 200100 12 78 0 1448 63 10 \n',
  ],
  [
    'V7 R.H of TLS 1.3 (handshake duration)',
    { type: 'R', version: 'V7', startSec: 1, startUsec: 2, ...v4, ...rFields, srttUs: 63, cwnd: 10, extensions: 'H', handshakeUs: 4321 },
    'V7 R.H 1 2 10.0.0.2:51234 10.0.0.1:80 512 200345 45 0 1 200100 12 78 0 1448 63 10 4321 \n',
  ],
  [
    'V7 R.F with four steps',
    {
      type: 'R', version: 'V7', startSec: 1, startUsec: 2, ...v4, ...rFields, srttUs: 64, cwnd: 20, extensions: 'F',
      firstFrame: [{ bytes: 1448, us: 300 }, { bytes: 2896, us: 310 }, { bytes: 20272, us: 500 }, { bytes: 65536, us: 900 }],
    },
    'V7 R.F 1 2 10.0.0.2:51234 10.0.0.1:80 512 200345 45 0 1 200100 12 78 0 1448 64 20 1448:300 2896:310 20272:500 65536:900 \n',
  ],
  [
    'V7 R.AF',
    { type: 'R', version: 'V7', startSec: 1, startUsec: 2, ...v4, ...rFields, srttUs: 64, cwnd: 20, extensions: 'AF', firstFrame: [{ bytes: 200, us: 70 }] },
    'V7 R.AF 1 2 10.0.0.2:51234 10.0.0.1:80 512 200345 45 0 1 200100 12 78 0 1448 64 20 200:70 \n',
  ],
  [
    'V7 R.HF with handshake duration',
    { type: 'R', version: 'V7', startSec: 1, startUsec: 2, ...v6, ...rFields, srttUs: 64, cwnd: 20, extensions: 'HF', handshakeUs: 900, firstFrame: [{ bytes: 100, us: 7 }, { bytes: 2000, us: 9 }] },
    'V7 R.HF 1 2 [2001:db8::2]:40000 [2001:db8::1]:443 512 200345 45 0 1 200100 12 78 0 1448 64 20 900 100:7 2000:9 \n',
  ],
  [
    'V7 R.CZAHF, all letters',
    { type: 'R', version: 'V7', startSec: 1, startUsec: 2, ...v4, ...rFields, srttUs: 1, cwnd: 2, extensions: 'CZAHF', handshakeUs: 3, firstFrame: [{ bytes: 4, us: 5 }] },
    'V7 R.CZAHF 1 2 10.0.0.2:51234 10.0.0.1:80 512 200345 45 0 1 200100 12 78 0 1448 1 2 3 4:5 \n',
  ],
  [
    'V7 R.F with no step reached',
    { type: 'R', version: 'V7', startSec: 1, startUsec: 2, ...v4, ...rFields, srttUs: 1, cwnd: 2, extensions: 'F', firstFrame: [] },
    'V7 R.F 1 2 10.0.0.2:51234 10.0.0.1:80 512 200345 45 0 1 200100 12 78 0 1448 1 2 \n',
  ],
  [
    'V7 E (non-R records of http ports carry no extra fields)',
    { type: 'E', version: 'V7', startSec: 9, startUsec: 9, ...v6, taskNum: 1, bytesSent: 2, bytesUnacked: 3, bytesReceived: 4, retrans: 5, minRttUs: 6 },
    'V7 E 9 9 [2001:db8::2]:40000 [2001:db8::1]:443 1 2 3 4 5 6 \n',
  ],
];

describe('log lines', () => {
  it.each(golden)('%s formats byte for byte and parses back', (_name, record, line) => {
    expect(formatLogLine(record)).toBe(line);
    expect(parseLogLine(line)).toEqual(record);
    expect(parseLogLine(line.slice(0, -1))).toEqual(record);
  });

  const base = 'V6 R 1 2 10.0.0.2:5 10.0.0.1:80';
  it.each([
    [`${base} 1 2 3 4 5 x 7 8 0 1448 \n`, 'field 6 (processUs): not an unsigned integer: "x"'],
    [`${base} 1 2 3 4 5 06 7 8 0 1448 \n`, 'field 6 (processUs): not an unsigned integer: "06"'],
    [`${base} 1 2 3 4 5 -6 7 8 0 1448 \n`, 'field 6 (processUs): not an unsigned integer: "-6"'],
    [`${base} 1 2 3 4 5 6 7 8 2 1448 \n`, 'field 9 (reorder): expected 0 or 1'],
    [`${base} 1 2 3 4 5 6 7 8 0 \n`, 'field 10 (mss): missing'],
    [`${base} 1 2 3 4 5 6 7 8 0 1448 60 \n`, 'field 11: unexpected extra field: "60"'],
    [`${base} 1 2 3 4 5 6 7 8 0 1448\n`, 'line must end with a space after the last field'],
    [`${base}  1 2 3 4 5 6 7 8 0 1448 \n`, 'token 7: empty (fields are separated by exactly one space)'],
    [`${base} 1 2 3 4 5 6 7 8 0 99999999999999999999 \n`, 'field 10 (mss): larger than 2^53-1: "99999999999999999999"'],
    ['V5 R 1 2 10.0.0.2:5 10.0.0.1:80 \n', 'version: expected V6 or V7: "V5"'],
    ['V6 X 1 2 10.0.0.2:5 10.0.0.1:80 \n', 'type: expected R, R.<extensions>, W, N, E or P: "X"'],
    ['V6 R.F 1 2 10.0.0.2:5 10.0.0.1:80 1 2 3 4 5 6 7 8 0 1448 \n', 'type: extensions only exist in V7 records: "R.F"'],
    ['V7 R.FA 1 2 10.0.0.2:5 10.0.0.1:80 1 2 3 4 5 6 7 8 0 1448 1 2 \n', 'type: extension letters must be a subset of CZAHF in that order'],
    ['V7 R.F 1 2 10.0.0.2:5 10.0.0.1:80 1 2 3 4 5 6 7 8 0 1448 1 2 3 \n', 'field 13 (firstFrame[0]): expected bytes:us: "3"'],
    ['V7 R.F 1 2 10.0.0.2:5 10.0.0.1:80 1 2 3 4 5 6 7 8 0 1448 1 2 1:1 2:2 3:3 4:4 5:5 \n', 'field 17: unexpected extra field: "5:5"'],
    ['V7 R.H 1 2 10.0.0.2:5 10.0.0.1:80 1 2 3 4 5 6 7 8 0 1448 1 2 3 4 \n', 'field 14: unexpected extra field: "4"'],
    ['V7 R 1 2 10.0.0.2:5 10.0.0.1:80 1 2 3 4 5 6 7 8 0 1448 1 \n', 'field 12 (cwnd): missing'],
    ['V6 E 1 2 10.0.0.2 10.0.0.1:80 1 2 3 4 5 6 \n', 'peer: expected ip:port or [ipv6]:port: "10.0.0.2"'],
    ['V6 E 1 2 10.0.0.2:5 10.0.0.1:70000 1 2 3 4 5 6 \n', 'local.port: port must be at most 65535'],
    ['V6 E 1 2 [10.0.0.2]:5 10.0.0.1:80 1 2 3 4 5 6 \n', 'peer: only IPv6 addresses are bracketed: "[10.0.0.2]:5"'],
    ['V6 E 1 2 [::ffff:10.0.0.2]:5 10.0.0.1:80 1 2 3 4 5 6 \n', 'peer.ip: IPv4-mapped IPv6 address must be written as plain IPv4'],
    ['V6 E 1 2 300.0.0.2:5 10.0.0.1:80 1 2 3 4 5 6 \n', 'peer.ip: not an IPv4 or IPv6 address'],
    ['V6 E 1 1000000 10.0.0.2:5 10.0.0.1:80 1 2 3 4 5 6 \n', 'startUsec: microseconds must be at most 999999'],
    ['V6 E 1 2 10.0.0.2:5 \n', 'local: missing (line has only 5 tokens)'],
  ])('rejects %j', (line, message) => {
    expect(() => parseLogLine(line)).toThrow(message);
  });
});
