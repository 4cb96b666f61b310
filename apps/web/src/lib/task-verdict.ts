import { closedBy, type CloseDetail, type StoredRecord } from '@tcprt/schema';
import { formatBytes, formatUs } from './format';
import type { TaskTimeline } from './task-timeline';

/** What the kernel knows beyond the task's own record (DESIGN §7). */
export interface VerdictContext {
  /** The close detail of the connection, for the task the close cut short (N or W). */
  close?: CloseDetail | null;
  /** Where the download's time went (R and W records of the server side). */
  download?: StoredRecord['download'];
  bytesSent?: number | null;
}

const HELD_BACK_BY = {
  receiverShare: "waiting on the client's receive window",
  networkShare: 'in the network (congestion window, losses)',
  applicationShare: 'waiting for the server to write',
} as const;

/** "19.1 MiB in 2.40 s (8.0 MiB/s); 85 % waiting on the client's receive window" */
export function downloadVerdict(
  downloadUs: number,
  bytesSent: number,
  d: NonNullable<StoredRecord['download']>,
): string {
  const [key, share] = (Object.keys(HELD_BACK_BY) as (keyof typeof HELD_BACK_BY)[])
    .map((k) => [k, d[k]] as const)
    .sort((a, b) => b[1] - a[1])[0]!;
  const rate = d.bytesPerSec === null ? '' : ` (${formatBytes(d.bytesPerSec)}/s)`;
  return `${formatBytes(bytesSent)} in ${formatUs(downloadUs)}${rate}; ${Math.round(share * 100)} % ${HELD_BACK_BY[key]}`;
}

/**
 * The one-line answer to "is it the client, the network or the server?" for one task:
 * the phase that dominates, in words. Upload and download include network time and the
 * peer's pace; process is the server alone (or, in peer mode, the remote service). A client that
 * gave up on a complete request names the server; a download the chronographs saw says what held
 * it back.
 */
export function taskVerdict(
  p: TaskTimeline,
  peerMode: boolean,
  context: VerdictContext = {},
): string {
  const { close, download, bytesSent } = context;
  if (close?.phase === 'processing' && closedBy(close) === 'peer') {
    const arrivedUs = Math.max(0, p.uploadUs - close.phaseUs);
    return `The server did not answer in time: the client gave up after waiting ${formatUs(close.phaseUs)} for the response to a complete request (which took ${formatUs(arrivedUs)} to arrive).`;
  }
  const total = p.uploadUs + p.processUs + p.downloadUs + p.unfinishedUs;
  if (total === 0) return 'The whole task took less than a microsecond.';
  const parts = [
    {
      us: p.processUs,
      text: peerMode
        ? 'waiting for the remote service (service time)'
        : 'the server processing the request',
    },
    {
      us: p.uploadUs,
      text: peerMode ? 'sending the request' : 'receiving the request (client pace or network)',
    },
    {
      us: p.downloadUs,
      text: peerMode
        ? 'receiving the response'
        : 'delivering the response until the last ACK (network or client pace)',
    },
    { us: p.unfinishedUs, text: 'an unfinished transfer cut short by the close' },
  ].sort((a, b) => b.us - a.us);
  const top = parts[0]!;
  const verdict = `${Math.round((100 * top.us) / total)}% of the ${formatUs(total)} went to ${top.text} (${formatUs(top.us)}).`;
  if (!download || bytesSent === null || bytesSent === undefined) return verdict;
  const downloadUs = p.downloadUs + p.unfinishedUs;
  return `${verdict} Download: ${downloadVerdict(downloadUs, bytesSent, download)}.`;
}
