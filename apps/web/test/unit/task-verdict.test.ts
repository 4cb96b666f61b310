import { expect, test } from '@playwright/test';
import type { CloseDetail, NRecord, RRecord } from '@tcprt/schema';
import { closeDetailWords } from '../../src/lib/close-words';
import { taskPhases } from '../../src/lib/task-phases';
import { taskVerdict } from '../../src/lib/task-verdict';

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
  expect(taskVerdict(taskPhases(n)!, false, { close })).toBe(
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
  expect(taskVerdict(taskPhases(r)!, false, { download, bytesSent: r.bytesSent })).toBe(
    "100% of the 2.40 s went to delivering the response until the last ACK (network or client pace) (2.40 s). Download: 19.1 MiB in 2.40 s (7.95 MiB/s); 85 % waiting on the client's receive window.",
  );
});
