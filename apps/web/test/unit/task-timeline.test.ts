import { expect, test } from 'vitest';
import { parseLogLine } from '@tcprt/schema';
import { taskTimeline } from '../../src/lib/task-timeline';

// SPEC §2 field order, R/W: bytes sent, total|elapsed, min RTT, retrans, task, process, upload, …
const R = parseLogLine('V6 R 1 0 10.0.0.2:4000 10.0.0.1:80 1000 1000 50 0 1 700 100 80 0 1448 ');
// P: bytes sent, total, min RTT, retrans, task, service, receive, …
const P = parseLogLine('V6 P 1 0 10.0.0.1:6379 10.0.0.2:4000 30 1000 50 0 1 600 150 900 0 1448 ');
const W = parseLogLine('V6 W 1 0 10.0.0.2:4000 10.0.0.1:80 1000 1000 50 0 1 300 100 200 0 1448 ');
const N = parseLogLine('V6 N 1 0 10.0.0.2:4000 10.0.0.1:80 1 700 40 0 1448 ');
const E = parseLogLine('V6 E 1 0 10.0.0.2:4000 10.0.0.1:80 3 3000 0 300 0 50 ');

test('an R runs T0 → T1 → T2 → T3 with the download as the rest', () => {
  expect(taskTimeline(R)).toEqual({
    uploadUs: 100,
    processUs: 700,
    downloadUs: 200,
    unfinishedUs: 0,
    endUs: 1000,
    markers: [
      { atUs: 0, label: 'T0' },
      { atUs: 100, label: 'T1' },
      { atUs: 800, label: 'T2' },
      { atUs: 1000, label: 'T3' },
    ],
    phaseNames: {
      upload: 'Upload (T0→T1)',
      process: 'Process (T1→T2)',
      download: 'Download (T2→T3)',
    },
  });
});

test('a P sends the request (the rest), waits for the service, receives the response', () => {
  const p = taskTimeline(P);
  expect(p).toMatchObject({ uploadUs: 250, processUs: 600, downloadUs: 150, endUs: 1000 });
  expect(p?.markers).toEqual([
    { atUs: 0, label: 'sent' },
    { atUs: 850, label: 'resp.' },
    { atUs: 1000, label: 'end' },
  ]);
  expect(p?.phaseNames.process).toBe('Service (peer)');
});

test('a W shows the time after T2 as unfinished, ending at the close', () => {
  const w = taskTimeline(W);
  expect(w).toMatchObject({
    uploadUs: 100,
    processUs: 300,
    downloadUs: 0,
    unfinishedUs: 600,
    endUs: 1000,
  });
  expect(w?.markers.at(-1)).toEqual({ atUs: 1000, label: 'close' });
  expect(w?.phaseNames.download).toBe('Download (unfinished)');
});

test('an N is all upload until the close; an E has no timeline', () => {
  expect(taskTimeline(N)).toMatchObject({
    uploadUs: 700,
    processUs: 0,
    downloadUs: 0,
    unfinishedUs: 0,
    endUs: 700,
  });
  expect(taskTimeline(E)).toBeNull();
});

test('the remainder phase is clamped at 0 when truncated parts exceed the total', () => {
  const r = parseLogLine('V6 R 1 0 10.0.0.2:4000 10.0.0.1:80 1000 1000 50 0 1 901 100 80 0 1448 ');
  expect(taskTimeline(r)).toMatchObject({ downloadUs: 0, endUs: 1000 });
});
