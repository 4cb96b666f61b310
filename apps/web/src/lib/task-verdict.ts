import { formatUs } from './format';
import type { TaskTimeline } from './task-timeline';

/**
 * The one-line answer to "is it the client, the network or the server?" for one task:
 * the phase that dominates, in words. Upload and download include network time and the
 * peer's pace; process is the server alone (or, in peer mode, the remote service).
 */
export function taskVerdict(p: TaskTimeline, peerMode: boolean): string {
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
  return `${Math.round((100 * top.us) / total)}% of the ${formatUs(total)} went to ${top.text} (${formatUs(top.us)}).`;
}
