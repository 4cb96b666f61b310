import { expect, test } from 'vitest';
import type { CloseDetail, NRecord, RRecord } from '@tcprt/schema';
import { taskVerdict } from '../../src/lib/task-verdict';
import { closeDetailWords } from '../../src/lib/close-words';
import { taskTimeline, type TaskTimeline } from '../../src/lib/task-timeline';

/** Only the four durations matter to the verdict; the axis details are filled in. */
function phases(us: {
  uploadUs: number;
  processUs: number;
  downloadUs: number;
  unfinishedUs?: number;
}): TaskTimeline {
  const unfinishedUs = us.unfinishedUs ?? 0;
  return {
    ...us,
    unfinishedUs,
    endUs: us.uploadUs + us.processUs + us.downloadUs + unfinishedUs,
    markers: [],
    phaseNames: { upload: 'up', process: 'process', download: 'down' },
  };
}

test('names the phase that took most of a local task, with its share of the total', () => {
  const p = phases({ uploadUs: 100, processUs: 800, downloadUs: 100 });
  expect(taskVerdict(p, false)).toBe(
    '80% of the 1.00 ms went to the server processing the request (800 µs).',
  );
  expect(taskVerdict(phases({ uploadUs: 2_000, processUs: 500, downloadUs: 7_500 }), false)).toBe(
    '75% of the 10.0 ms went to delivering the response until the last ACK (network or client pace) (7.50 ms).',
  );
  expect(taskVerdict(phases({ uploadUs: 6_000, processUs: 3_000, downloadUs: 1_000 }), false)).toBe(
    '60% of the 10.0 ms went to receiving the request (client pace or network) (6.00 ms).',
  );
});

test('speaks of the remote service in peer mode', () => {
  const p = phases({ uploadUs: 100, processUs: 800, downloadUs: 100 });
  expect(taskVerdict(p, true)).toBe(
    '80% of the 1.00 ms went to waiting for the remote service (service time) (800 µs).',
  );
  expect(taskVerdict(phases({ uploadUs: 600, processUs: 300, downloadUs: 100 }), true)).toBe(
    '60% of the 1.00 ms went to sending the request (600 µs).',
  );
  expect(taskVerdict(phases({ uploadUs: 100, processUs: 300, downloadUs: 600 }), true)).toBe(
    '60% of the 1.00 ms went to receiving the response (600 µs).',
  );
});

test('counts the unfinished transfer of a W record in the total and can name it', () => {
  const p = phases({ uploadUs: 0, processUs: 1_000, downloadUs: 0, unfinishedUs: 3_000 });
  expect(taskVerdict(p, false)).toBe(
    '75% of the 4.00 ms went to an unfinished transfer cut short by the close (3.00 ms).',
  );
});

test('rounds the share to a whole percent and handles a task under a microsecond', () => {
  expect(taskVerdict(phases({ uploadUs: 1, processUs: 2, downloadUs: 0 }), false)).toBe(
    '67% of the 3 µs went to the server processing the request (2 µs).',
  );
  expect(taskVerdict(phases({ uploadUs: 0, processUs: 0, downloadUs: 0 }), false)).toBe(
    'The whole task took less than a microsecond.',
  );
});

const header = {
  version: 'V7' as const,
  startSec: 1_800_000_000,
  startUsec: 0,
  peer: { ip: '10.0.0.2', port: 40_000 },
  local: { ip: '10.0.0.1', port: 80 },
};

test('a client that gave up on a complete request is the server’s verdict, not the upload’s', () => {
  const n: NRecord = {
    type: 'N',
    ...header,
    taskNum: 1,
    elapsedUs: 100_300,
    bytesReceived: 80,
    reorder: 0,
    mss: 1448,
  };
  const close: CloseDetail = {
    first: 'fin_received',
    abort: null,
    phase: 'processing',
    phaseUs: 100_250,
    protocolEnds: [],
  };
  expect(taskVerdict(taskTimeline(n)!, false, { close })).toBe(
    'The server did not answer in time: the client gave up after waiting 100 ms for the response to a complete request (which took 50 µs to arrive).',
  );
  expect(closeDetailWords(close)).toBe(
    'The client closed (FIN) while the server was processing a complete request (for 100 ms). Close reason: peer gave up while the server processed.',
  );
});

test('a download the chronographs saw says its throughput and what held it back', () => {
  const r: RRecord = {
    type: 'R',
    ...header,
    bytesSent: 20_000_000,
    totalUs: 2_401_000,
    minRttUs: 50,
    retrans: 0,
    taskNum: 1,
    processUs: 500,
    uploadUs: 500,
    bytesReceived: 80,
    reorder: 0,
    mss: 1448,
    srttUs: 60,
    cwnd: 10,
    extensions: '',
  };
  const download = {
    chrono: { busyUs: 2_400_000, rwndLimitedUs: 2_040_000, sndbufLimitedUs: 0 },
    receiverShare: 0.85,
    networkShare: 0.15,
    applicationShare: 0,
    bytesPerSec: 8_333_333,
  };
  expect(taskVerdict(taskTimeline(r)!, false, { download, bytesSent: r.bytesSent })).toBe(
    "100% of the 2.40 s went to delivering the response until the last ACK (network or client pace) (2.40 s). Download: 19.1 MiB in 2.40 s (7.95 MiB/s); 85 % waiting on the client's receive window.",
  );
});
