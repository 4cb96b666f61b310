import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  countsAsLocalTask,
  countsAsPeerTask,
  FAIL_MIN_ELAPSED_US,
  isFailedClose,
  parseLogLine,
  remainderUs,
  taskPhases,
  unfinishedTaskPhases,
  writeTaskPhases,
  type TaskPhases,
  type TcprtRecord,
} from '../src/index';
import { recordArbitrary } from './arbitraries';

/** The record of a log line, checked to be of the type the test expects. */
function record<T extends TcprtRecord['type']>(
  type: T,
  line: string,
): Extract<TcprtRecord, { type: T }> {
  const r = parseLogLine(line);
  if (r.type !== type) throw new Error(`expected a ${type} line: ${line}`);
  return r as Extract<TcprtRecord, { type: T }>;
}
// Field order (SPEC §2) R/W: bytes, total|elapsed, minRTT, retrans, task, process, upload, bytes received|unacked, reorder, mss.
const R = (total: number, process: number, upload: number, bytesSent = 1000) =>
  record(
    'R',
    `V6 R 1 0 10.0.0.2:4000 10.0.0.1:80 ${bytesSent} ${total} 50 0 1 ${process} ${upload} 100 0 1448 `,
  );
// P: bytes sent, total, minRTT, retrans, task, service, receive, bytes received, reorder, mss.
const P = (total: number, service: number, receive: number) =>
  record(
    'P',
    `V6 P 1 0 10.0.0.1:6379 10.0.0.2:4000 30 ${total} 50 0 1 ${service} ${receive} 900 0 1448 `,
  );
const W = (elapsed: number, process: number, upload: number) =>
  record(
    'W',
    `V6 W 1 0 10.0.0.2:4000 10.0.0.1:80 1000 ${elapsed} 50 0 1 ${process} ${upload} 300 0 1448 `,
  );
const N = (elapsed: number) =>
  record('N', `V6 N 1 0 10.0.0.2:4000 10.0.0.1:80 1 ${elapsed} 40 0 1448 `);
const E = record('E', 'V6 E 1 0 10.0.0.2:4000 10.0.0.1:80 3 3000 0 300 0 50 ');

describe('taskPhases', () => {
  it('splits an R into T0→T1 upload, T1→T2 process and the rest as download', () => {
    expect(taskPhases(R(1000, 700, 100))).toEqual({
      totalUs: 1000,
      uploadUs: 100,
      processUs: 700,
      downloadUs: 200,
    });
  });

  it('splits a P into request send (the rest), service and receive', () => {
    expect(taskPhases(P(1000, 600, 150))).toEqual({
      totalUs: 1000,
      uploadUs: 250,
      processUs: 600,
      downloadUs: 150,
    });
  });

  it('clamps the remainder at 0 when the truncated parts exceed the total', () => {
    expect(taskPhases(R(1000, 901, 100)).downloadUs).toBe(0);
    expect(taskPhases(P(1000, 900, 101)).uploadUs).toBe(0);
    expect(remainderUs(10, 6, 5)).toBe(0);
    expect(remainderUs(10, 6, 4)).toBe(0);
    expect(remainderUs(10, 6, 3)).toBe(1);
  });

  it('has no split for W, N and E records', () => {
    expect(taskPhases(W(500, 100, 50))).toBeNull();
    expect(taskPhases(N(500))).toBeNull();
    expect(taskPhases(E)).toBeNull();
  });

  it('adds up to the total for any R or P whose parts fit (and never goes negative)', () => {
    fc.assert(
      fc.property(recordArbitrary, (r) => {
        const p = taskPhases(r);
        if (r.type !== 'R' && r.type !== 'P') {
          expect(p).toBeNull();
          return;
        }
        if (p === null) throw new Error(`${r.type}: no phases`);
        expect(Math.min(p.uploadUs, p.processUs, p.downloadUs)).toBeGreaterThanOrEqual(0);
        const parts = p.uploadUs + p.processUs + p.downloadUs;
        // Parts that fit add up exactly; when they do not, the clamped remainder is 0.
        if (parts !== p.totalUs) expect(parts).toBeGreaterThan(p.totalUs);
      }),
    );
  });
});

describe('writeTaskPhases', () => {
  it('writes what taskPhases returns into the given object, and leaves it alone for W/N/E', () => {
    fc.assert(
      fc.property(recordArbitrary, (r) => {
        const into: TaskPhases = { totalUs: -1, uploadUs: -1, processUs: -1, downloadUs: -1 };
        const written = writeTaskPhases(r, into);
        const phases = taskPhases(r);
        expect(written).toBe(phases !== null);
        expect(into).toEqual(
          phases ?? { totalUs: -1, uploadUs: -1, processUs: -1, downloadUs: -1 },
        );
      }),
    );
  });
});

describe('unfinishedTaskPhases', () => {
  it('gives a W its upload and process and the rest of the elapsed time as the unfinished download', () => {
    expect(unfinishedTaskPhases(W(1000, 300, 100))).toEqual({
      elapsedUs: 1000,
      uploadUs: 100,
      processUs: 300,
      downloadUs: 600,
    });
    expect(unfinishedTaskPhases(W(100, 300, 100)).downloadUs).toBe(0);
  });

  it('gives an N all of its elapsed time as upload and no later phase', () => {
    expect(unfinishedTaskPhases(N(700))).toEqual({
      elapsedUs: 700,
      uploadUs: 700,
      processUs: null,
      downloadUs: null,
    });
  });
});

describe("SPEC §3's counting rules", () => {
  it('count R records that sent a response as local tasks, P records as peer tasks', () => {
    expect(countsAsLocalTask(R(1000, 700, 100))).toBe(true);
    expect(countsAsLocalTask(R(1000, 700, 100, 0))).toBe(false);
    expect(countsAsLocalTask(P(1000, 600, 150))).toBe(false);
    expect(countsAsPeerTask(P(1000, 600, 150))).toBe(true);
    for (const r of [R(1000, 700, 100), W(500, 1, 1), N(5), E])
      expect(countsAsPeerTask(r)).toBe(false);
  });

  it('count a W as failed only past FAIL_MIN_ELAPSED_US (100 µs)', () => {
    expect(FAIL_MIN_ELAPSED_US).toBe(100);
    expect(isFailedClose(W(100, 0, 0))).toBe(false);
    expect(isFailedClose(W(101, 0, 0))).toBe(true);
    for (const r of [R(5000, 1, 1), N(5000), E, P(5000, 1, 1)])
      expect(isFailedClose(r)).toBe(false);
  });
});
