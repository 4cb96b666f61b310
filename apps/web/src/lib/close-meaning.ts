import { closeReason, type CloseDetail, type CloseReason, type TcprtRecord } from '@tcprt/schema';
import { closeDetailWords } from './close-words';
import { formatBytes, formatUs } from './format';

const REASON_TONES: Record<CloseReason, 'ok' | 'warn' | 'bad'> = {
  normal: 'ok',
  peer_gave_up: 'bad',
  reset_by_peer: 'bad',
  reset_by_local: 'warn',
  timed_out: 'bad',
  closed_while_sending: 'bad',
  closed_while_receiving: 'warn',
};

/**
 * How a connection ended, in words: from the kernel's close detail when the E record has one
 * (who closed, how, in which phase), else from its last task record and its E record (SPEC §1
 * close rules).
 */
export function closeMeaning(
  lastTask: TcprtRecord | undefined,
  closing: TcprtRecord | null,
  detail: CloseDetail | null = null,
): { tone: 'ok' | 'warn' | 'bad'; text: string } {
  if (!closing || closing.type !== 'E') {
    return {
      tone: 'warn',
      text: 'No close record yet: the connection is still open, or its close has not been written.',
    };
  }
  const totals = `${closing.taskNum} task${closing.taskNum === 1 ? '' : 's'}, ${formatBytes(closing.bytesReceived)} received, ${formatBytes(closing.bytesSent)} sent, ${closing.retrans} retransmit${closing.retrans === 1 ? '' : 's'}`;
  if (detail) {
    return {
      tone: REASON_TONES[closeReason(detail)],
      text: `${closeDetailWords(detail)} Over its life: ${totals}.`,
    };
  }
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
