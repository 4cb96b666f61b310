import { describe, expect, it } from 'vitest';
import {
  formatStatsLine,
  StatsAccumulator,
  type PRecord,
  type RRecord,
  type WRecord,
} from '../src/index';

const header = { version: 'V6' as const, startSec: 1, startUsec: 0 };
function r(localPort: number, fields: Partial<RRecord> = {}): RRecord {
  return {
    type: 'R',
    ...header,
    peer: { ip: '10.0.0.2', port: 40000 },
    local: { ip: '10.0.0.1', port: localPort },
    bytesSent: 1000,
    totalUs: 300,
    minRttUs: 40,
    retrans: 0,
    taskNum: 1,
    processUs: 200,
    uploadUs: 10,
    bytesReceived: 100,
    reorder: 0,
    mss: 100,
    ...fields,
  };
}
function w(localPort: number, elapsedUs: number): WRecord {
  return {
    type: 'W',
    ...header,
    peer: { ip: '10.0.0.2', port: 40000 },
    local: { ip: '10.0.0.1', port: localPort },
    bytesSent: 5000,
    elapsedUs,
    minRttUs: 40,
    retrans: 3,
    taskNum: 2,
    processUs: 1,
    uploadUs: 1,
    bytesUnacked: 4000,
    reorder: 0,
    mss: 100,
  };
}
function p(peerPort: number, fields: Partial<PRecord> = {}): PRecord {
  return {
    type: 'P',
    ...header,
    peer: { ip: '127.0.0.1', port: peerPort },
    local: { ip: '127.0.0.1', port: 50000 },
    bytesSent: 30,
    totalUs: 900,
    minRttUs: 20,
    retrans: 0,
    taskNum: 1,
    serviceUs: 800,
    receiveUs: 70,
    bytesReceived: 2000,
    reorder: 0,
    mss: 65483,
    ...fields,
  };
}
const lines = (acc: StatsAccumulator, timeSec: number) =>
  acc.flush(timeSec).map(formatStatsLine).join('');

describe('stats accumulator', () => {
  it('averages R records with truncation and computes retrans/fail permille', () => {
    const acc = new StatsAccumulator({ local: [80], peer: [] });
    // packets: 1000/100+1 = 11, 1050/100+1 = 11, 7/100+1 = 1 → 23; retrans 1+0+0 = 1 → 1000/23 = 43.47 → 43
    acc.add(
      r(80, {
        bytesSent: 1000,
        totalUs: 301,
        processUs: 200,
        retrans: 1,
        minRttUs: 40,
        uploadUs: 10,
        bytesReceived: 100,
      }),
    );
    acc.add(
      r(80, {
        bytesSent: 1050,
        totalUs: 400,
        processUs: 201,
        minRttUs: 41,
        uploadUs: 11,
        bytesReceived: 101,
      }),
    );
    acc.add(
      r(80, {
        bytesSent: 7,
        totalUs: 500,
        processUs: 202,
        minRttUs: 41,
        uploadUs: 11,
        bytesReceived: 102,
      }),
    );
    acc.add(r(80, { bytesSent: 0, totalUs: 999999 })); // no response bytes: not counted
    acc.add(w(80, 101)); // a fail: 1000 × 1 / 3 = 333
    acc.add(w(80, 100)); // not more than 100 µs: not a fail
    // avg total (301+400+500)/3 = 400.33 → 400; process 603/3 = 201; min RTT 122/3 = 40; bytes 2057/3 = 685; upload 32/3 = 10; received 303/3 = 101
    expect(lines(acc, 1000)).toBe('1000 all 80 400 201 43 40 333 685 10 101 3\n');
  });

  it('resets counters after each line and prints named ports every interval, even all-zero', () => {
    const acc = new StatsAccumulator({ local: [80, 443], peer: [3306] });
    acc.add(r(80));
    expect(lines(acc, 60)).toBe(
      '60 all 80 300 200 0 40 0 1000 10 100 1\n60 all 443 0 0 0 0 0 0 0 0 0\n60 all P3306 0 0 0 0 0 0 0 0 0\n',
    );
    expect(lines(acc, 120)).toBe(
      '120 all 80 0 0 0 0 0 0 0 0 0\n120 all 443 0 0 0 0 0 0 0 0 0\n120 all P3306 0 0 0 0 0 0 0 0 0\n',
    );
  });

  it('prints ports of ranges only in intervals where they had records', () => {
    const acc = new StatsAccumulator({ local: [], peer: [] });
    acc.add(r(1500));
    acc.add(r(1200, { totalUs: 100 }));
    expect(lines(acc, 60)).toBe(
      '60 all 1200 100 200 0 40 0 1000 10 100 1\n60 all 1500 300 200 0 40 0 1000 10 100 1\n',
    );
    expect(lines(acc, 120)).toBe('');
  });

  it('counts every P record on the peer port, with service and receive time in the process and upload columns', () => {
    const acc = new StatsAccumulator({ local: [], peer: [6379] });
    acc.add(p(6379));
    acc.add(
      p(6379, {
        bytesSent: 0,
        totalUs: 1101,
        serviceUs: 1000,
        receiveUs: 0,
        retrans: 1,
        bytesReceived: 0,
      }),
    );
    // packets: 30/65483+1 = 1, 0/65483+1 = 1 → retrans 1000×1/2 = 500
    expect(lines(acc, 60)).toBe('60 all P6379 1000 900 500 20 0 15 35 1000 2\n');
  });

  it('keeps local and peer stats of the same port apart and ignores N and E records', () => {
    const acc = new StatsAccumulator({ local: [6379], peer: [6379] });
    acc.add(r(6379));
    acc.add({
      type: 'E',
      ...header,
      peer: { ip: '10.0.0.2', port: 1 },
      local: { ip: '10.0.0.1', port: 6379 },
      taskNum: 1,
      bytesSent: 1,
      bytesUnacked: 0,
      bytesReceived: 1,
      retrans: 9,
      minRttUs: 1,
    });
    acc.add({
      type: 'N',
      ...header,
      peer: { ip: '10.0.0.2', port: 1 },
      local: { ip: '10.0.0.1', port: 6379 },
      taskNum: 2,
      elapsedUs: 5000,
      bytesReceived: 1,
      reorder: 0,
      mss: 1,
    });
    expect(lines(acc, 60)).toBe(
      '60 all 6379 300 200 0 40 0 1000 10 100 1\n60 all P6379 0 0 0 0 0 0 0 0 0\n',
    );
  });

  it('prints zeros when only fails happened (count is zero)', () => {
    const acc = new StatsAccumulator({ local: [80], peer: [] });
    acc.add(w(80, 5000));
    expect(lines(acc, 60)).toBe('60 all 80 0 0 0 0 0 0 0 0 0\n');
  });

  it('counts an mss of 0 as one packet instead of dividing by zero', () => {
    const acc = new StatsAccumulator({ local: [80], peer: [] });
    acc.add(r(80, { mss: 0, retrans: 1 }));
    expect(lines(acc, 60)).toBe('60 all 80 300 200 1000 40 0 1000 10 100 1\n');
  });
});
