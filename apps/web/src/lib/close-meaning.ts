import { closeReason, type CloseDetail, type ERecord, type TcprtRecord } from '@tcprt/schema';
import { closeDetailWords } from './close-words';
import { formatBytes, formatUs } from './format';

/**
 * How a connection ended, in words: TCP-RT's view from its last task record and its E record
 * (SPEC §1 close rules), then the kernel's close detail when the E record has one (who closed,
 * how, in which phase). Where the detail shows an N was no failure — a protocol ending such as
 * MySQL's COM_QUIT, or a client that gave up while the server processed — the detail replaces
 * TCP-RT's "stopped sending mid-request".
 */
export function closeMeaning(
  lastTask: TcprtRecord | undefined,
  closing: TcprtRecord | null,
  detail: CloseDetail | null = null,
): { tone: 'ok' | 'warn' | 'bad'; text: string } {
  const base = recordsMeaning(lastTask, closing);
  if (!detail || !closing || closing.type !== 'E') return base;
  const reason = closeReason(detail);
  const words = closeDetailWords(detail);
  if (lastTask?.type === 'N' && (reason === 'normal' || reason === 'peer_gave_up')) {
    return {
      tone: reason === 'normal' ? 'ok' : 'bad',
      text: `${words} Over its life: ${lifeTotals(closing)}.`,
    };
  }
  return { tone: base.tone, text: `${base.text} ${words}` };
}

function lifeTotals(closing: ERecord): string {
  return `${closing.taskNum} task${closing.taskNum === 1 ? '' : 's'}, ${formatBytes(closing.bytesReceived)} received, ${formatBytes(closing.bytesSent)} sent, ${closing.retrans} retransmit${closing.retrans === 1 ? '' : 's'}`;
}

function recordsMeaning(
  lastTask: TcprtRecord | undefined,
  closing: TcprtRecord | null,
): { tone: 'ok' | 'warn' | 'bad'; text: string } {
  if (!closing || closing.type !== 'E') {
    return {
      tone: 'warn',
      text: 'No close record yet: the connection is still open, or its close has not been written.',
    };
  }
  const totals = lifeTotals(closing);
  if (lastTask?.type === 'W') {
    return {
      tone: 'bad',
      text: `Closed while the response was still being sent (W): ${formatBytes(lastTask.bytesUnacked)} of the response were never acknowledged, ${formatUs(lastTask.elapsedUs)} after the request started. The client most likely gave up or reset the connection. Over its life: ${totals}.`,
    };
  }
  if (lastTask?.type === 'N') {
    return {
      tone: 'warn',
      text: `Closed while a request was still being received (N): ${formatBytes(lastTask.bytesReceived)} of an unfinished request arrived over ${formatUs(lastTask.elapsedUs)}. The client stopped sending mid-request. Over its life: ${totals}.`,
    };
  }
  const unacked =
    closing.bytesUnacked > 0
      ? ` ${formatBytes(closing.bytesUnacked)} were still unacknowledged at close.`
      : '';
  return { tone: 'ok', text: `Closed normally (E) after ${totals}.${unacked}` };
}
