import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { formatLogLine, writeLogLine } from '@tcprt/schema';
import { makeTempDir, type TempDir } from '@tcprt/testkit/tempDir';
import { eRecord, rRecord } from '../../test/fixtures/records';
import { BoundedRingFile } from './bounded-ring-file';
import { rawFileStream } from './raw-download';

let dir: TempDir;
beforeEach(async () => (dir = await makeTempDir('ring')));
afterEach(async () => dir.remove());

const sizeOnDisk = () =>
  readdirSync(dir.path).reduce((s, f) => s + statSync(path.join(dir.path, f)).size, 0);

describe('BoundedRingFile', () => {
  it('never holds more than count × size bytes and drops the oldest segment first', () => {
    const ring = new BoundedRingFile(dir.path, 'tcprt.log', { segmentCount: 3, segmentBytes: 100 });
    for (let i = 0; i < 1000; i++) {
      ring.append(`V6 R ${1000 + i} 0 line-${String(i).padStart(4, '0')} \n`);
      if (i % 7 === 0) ring.flush();
      expect(sizeOnDisk()).toBeLessThanOrEqual(300);
    }
    ring.flush();
    const text = ring
      .segmentPaths()
      .map((p) => readFileSync(p, 'utf8'))
      .join('');
    expect(text.endsWith('line-0999 \n')).toBe(true);
    expect(text).not.toContain('line-0000');
    expect(ring.segmentPaths()).toHaveLength(3);
    ring.close();
  });

  it('continues the numbering after a restart and shrinks when the bound shrinks', () => {
    const first = new BoundedRingFile(dir.path, 'tcprt.log', { segmentCount: 4, segmentBytes: 50 });
    for (let i = 0; i < 40; i++) first.append(`V6 E ${i} 0 x \n`);
    first.close();
    const again = new BoundedRingFile(dir.path, 'tcprt.log', { segmentCount: 4, segmentBytes: 50 });
    const before = again.segmentPaths();
    again.append('V6 E 99 0 after-restart \n');
    again.flush();
    expect(again.segmentPaths().at(-1)! >= before.at(-1)!).toBe(true);
    again.setBounds({ segmentCount: 2, segmentBytes: 50 });
    expect(again.segmentPaths()).toHaveLength(2);
    expect(sizeOnDisk()).toBeLessThanOrEqual(100);
    again.close();
  });

  it('cuts a line a kill left half-written before appending after it', () => {
    const first = new BoundedRingFile(dir.path, 'tcprt.log', {
      segmentCount: 4,
      segmentBytes: 1000,
    });
    first.append('V6 E 1 0 whole \n');
    first.close();
    const [segment] = first.segmentPaths();
    appendFileSync(segment!, 'V6 R 2 0 torn-by-a-ki');
    const again = new BoundedRingFile(dir.path, 'tcprt.log', {
      segmentCount: 4,
      segmentBytes: 1000,
    });
    again.append('V6 E 3 0 after-restart \n');
    again.close();
    expect(readFileSync(segment!, 'utf8')).toBe('V6 E 1 0 whole \nV6 E 3 0 after-restart \n');
  });

  it('writes records as their exact log lines, each whole within one segment', () => {
    const ring = new BoundedRingFile(dir.path, 'tcprt.log', {
      segmentCount: 50,
      segmentBytes: 200,
    });
    const records = Array.from({ length: 40 }, (_, i) => {
      const ports = {
        local: 8080,
        peer: 40000 + i,
        ...(i % 3 === 0 ? { peerIp: '2001:db8::7' } : {}),
      };
      return i % 4 === 3
        ? eRecord(1_764_000_000_000_000 + i, ports)
        : rRecord(1_764_000_000_000_000 + i, ports, {
            uploadUs: i,
            processUs: 1000 * i,
            downloadUs: 7,
          });
    });
    for (const [i, r] of records.entries()) {
      ring.appendWith(writeLogLine, r);
      if (i % 5 === 0) ring.flush();
    }
    ring.close();
    const segments = ring.segmentPaths().map((p) => readFileSync(p, 'latin1'));
    expect(segments.length).toBeGreaterThan(5);
    for (const text of segments) {
      expect(text.length).toBeLessThanOrEqual(200);
      expect(text.endsWith(' \n')).toBe(true);
    }
    expect(segments.join('')).toBe(records.map(formatLogLine).join(''));
  });

  it('streams the lines of a time window', async () => {
    const ring = new BoundedRingFile(dir.path, 'tcprt.log', { segmentCount: 8, segmentBytes: 64 });
    for (let sec = 100; sec < 110; sec++) ring.append(`V6 R ${sec} 5 a b 1 \n`);
    ring.flush();
    let text = '';
    for await (const chunk of rawFileStream(ring.segmentPaths(), 'log', {
      fromMs: 103_000,
      toMs: 105_999,
    }))
      text += String(chunk);
    expect(
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ')[2]),
    ).toEqual(['103', '104', '105']);
    ring.close();
  });
});
