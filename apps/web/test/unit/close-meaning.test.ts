import { expect, test } from '@playwright/test';
import type { CloseDetail, ERecord, NRecord } from '@tcprt/schema';
import { closeMeaning } from '../../src/lib/close-meaning';

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
