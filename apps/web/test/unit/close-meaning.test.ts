import { expect, test } from 'vitest';
import {
  parseLogLine,
  type CloseDetail,
  type ERecord,
  type NRecord,
  type TcprtRecord,
} from '@tcprt/schema';
import { closeMeaning } from '../../src/lib/close-meaning';

const PEERS = '10.0.0.2:51234 10.0.0.1:80';
const record = (fields: string): TcprtRecord => parseLogLine(`V6 ${fields} \n`);

// E fields: task_num bytes_sent bytes_unacked bytes_received retrans min_rtt.
const closedAfterSeven = record(`E 1700000003 0 ${PEERS} 7 9000 0 700 1 30`);
const closedAfterOne = record(`E 1700000003 0 ${PEERS} 1 5000 2048 300 0 30`);
// R fields: bytes_sent total min_rtt retrans task_num process upload download reorder mss.
const finishedTask = record(`R 1700000002 0 ${PEERS} 3000 1200 30 0 7 1000 100 100 0 1448`);
// W fields: bytes_sent elapsed min_rtt retrans task_num process upload bytes_unacked reorder mss.
const cutResponse = record(`W 1700000001 5 ${PEERS} 100000 3000 4294967295 2 3 10 0 65000 1 65483`);
// N fields: task_num elapsed bytes_received reorder mss.
const cutRequest = record(`N 1700000002 999999 ${PEERS} 2 150 40 0 1448`);

const SEVEN_TASKS = '7 tasks, 700 B received, 8.79 KiB sent, 1 retransmit';

test('without an E record the connection is still open (or its close not yet written)', () => {
  const open = {
    tone: 'warn',
    text: 'No close record yet: the connection is still open, or its close has not been written.',
  };
  expect(closeMeaning(finishedTask, null)).toEqual(open);
  expect(closeMeaning(undefined, null)).toEqual(open);
  // Only an E record is a close.
  expect(closeMeaning(undefined, finishedTask)).toEqual(open);
});

test('an E after finished tasks is a normal close, with the connection totals', () => {
  expect(closeMeaning(finishedTask, closedAfterSeven)).toEqual({
    tone: 'ok',
    text: `Closed normally (E) after ${SEVEN_TASKS}.`,
  });
  expect(closeMeaning(undefined, closedAfterSeven).tone).toBe('ok');
  // Singular units, and bytes still unacknowledged at close are mentioned.
  expect(closeMeaning(finishedTask, closedAfterOne)).toEqual({
    tone: 'ok',
    text: 'Closed normally (E) after 1 task, 300 B received, 4.88 KiB sent, 0 retransmits. 2.00 KiB were still unacknowledged at close.',
  });
});

test('a W before the E: closed while the response was still being sent', () => {
  expect(closeMeaning(cutResponse, closedAfterSeven)).toEqual({
    tone: 'bad',
    text: `Closed while the response was still being sent (W): 63.5 KiB of the response were never acknowledged, 3.00 ms after the request started. The client most likely gave up or reset the connection. Over its life: ${SEVEN_TASKS}.`,
  });
});

test('an N before the E: closed while a request was still being received', () => {
  expect(closeMeaning(cutRequest, closedAfterSeven)).toEqual({
    tone: 'warn',
    text: `Closed while a request was still being received (N): 40 B of an unfinished request arrived over 150 µs. The client stopped sending mid-request. Over its life: ${SEVEN_TASKS}.`,
  });
});

const header = {
  version: 'V6' as const,
  startSec: 1_800_000_000,
  startUsec: 0,
  peer: { ip: '127.0.0.1', port: 40_000 },
  local: { ip: '127.0.0.1', port: 3306 },
};
const quit: NRecord = {
  type: 'N',
  ...header,
  taskNum: 3,
  elapsedUs: 120,
  bytesReceived: 5,
  reorder: 0,
  mss: 65483,
};
const closing: ERecord = {
  type: 'E',
  ...header,
  taskNum: 3,
  bytesSent: 900,
  bytesUnacked: 0,
  bytesReceived: 300,
  retrans: 0,
  minRttUs: 20,
};

test('an N that was MySQL’s COM_QUIT reads as a normal ending, not as a client that stopped mid-request', () => {
  const detail: CloseDetail = {
    first: 'fin_sent',
    abort: null,
    phase: 'receiving',
    phaseUs: 110,
    protocolEnds: ['mysql_quit'],
  };
  const meaning = closeMeaning(quit, closing, detail);
  expect(meaning.tone).toBe('ok');
  expect(meaning.text).not.toContain('stopped sending');
  expect(meaning.text).toContain(
    'It ended with the client’s MySQL COM_QUIT. Close reason: normal.',
  );
});

test('without a close detail (older records) TCP-RT’s own reading stays', () => {
  expect(closeMeaning(quit, closing).text).toContain('The client stopped sending mid-request.');
});
