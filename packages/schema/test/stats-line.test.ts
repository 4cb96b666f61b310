import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatStatsLine, parseStatsLine, type StatsLine } from '../src/index';

const local80: StatsLine = {
  timeSec: 1700000060,
  peer: false,
  port: 80,
  avgTotalUs: 200345,
  avgProcessUs: 200100,
  retransPermille: 3,
  avgMinRttUs: 45,
  failPermille: 10,
  avgBytesSent: 512,
  avgUploadUs: 12,
  avgBytesReceived: 78,
  count: 100,
};

describe('stats lines', () => {
  it('formats a local port without a trailing space', () => {
    const line = '1700000060 all 80 200345 200100 3 45 10 512 12 78 100\n';
    expect(formatStatsLine(local80)).toBe(line);
    expect(parseStatsLine(line)).toEqual(local80);
  });

  it('formats a peer port as P<port>', () => {
    const stats: StatsLine = { ...local80, peer: true, port: 3306, failPermille: 0 };
    const line = '1700000060 all P3306 200345 200100 3 45 0 512 12 78 100\n';
    expect(formatStatsLine(stats)).toBe(line);
    expect(parseStatsLine(line)).toEqual(stats);
  });

  it('formats an all-zero line', () => {
    const zero: StatsLine = {
      timeSec: 5,
      peer: false,
      port: 443,
      avgTotalUs: 0,
      avgProcessUs: 0,
      retransPermille: 0,
      avgMinRttUs: 0,
      failPermille: 0,
      avgBytesSent: 0,
      avgUploadUs: 0,
      avgBytesReceived: 0,
      count: 0,
    };
    expect(formatStatsLine(zero)).toBe('5 all 443 0 0 0 0 0 0 0 0 0\n');
  });

  it.each([
    ['1 all 80 1 2 3 4 5 6 7 8 9 \n', 'expected 12 fields, got 13'],
    ['1 all 80 1 2 3 4 5 6 7 8\n', 'expected 12 fields, got 11'],
    ['1 any 80 1 2 3 4 5 6 7 8 9\n', 'field 2: expected "all": "any"'],
    ['1 all Q80 1 2 3 4 5 6 7 8 9\n', 'field 3 (port): not an unsigned integer: "Q80"'],
    ['1 all P70000 1 2 3 4 5 6 7 8 9\n', 'field 3 (port): larger than 65535: "P70000"'],
    ['1 all 80 1 2 3 x 5 6 7 8 9\n', 'field 7 (avgMinRttUs): not an unsigned integer: "x"'],
    ['x all 80 1 2 3 4 5 6 7 8 9\n', 'field 1 (timeSec): not an unsigned integer: "x"'],
  ])('rejects %j', (line, message) => {
    expect(() => parseStatsLine(line)).toThrow(message);
  });

  it('round-trips random stats lines', () => {
    const u = fc.maxSafeInteger().filter((n) => n >= 0);
    const stats = fc.record({
      timeSec: u,
      peer: fc.boolean(),
      port: fc.integer({ min: 0, max: 65535 }),
      avgTotalUs: u,
      avgProcessUs: u,
      retransPermille: u,
      avgMinRttUs: u,
      failPermille: u,
      avgBytesSent: u,
      avgUploadUs: u,
      avgBytesReceived: u,
      count: u,
    });
    fc.assert(
      fc.property(stats, (s) => {
        const line = formatStatsLine(s);
        expect(line.endsWith(' \n')).toBe(false);
        expect(parseStatsLine(line)).toEqual(s);
        expect(formatStatsLine(parseStatsLine(line))).toBe(line);
      }),
      { numRuns: 1000 },
    );
  });
});
