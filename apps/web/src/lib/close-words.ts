import { closeReason, type CloseDetail, type CloseReason } from '@tcprt/schema';
import { formatUs } from './format';

/** Each close reason (close-detail.ts) as the console names it. */
export const CLOSE_REASON_LABELS: Record<CloseReason, string> = {
  normal: 'normal',
  peer_gave_up: 'peer gave up while the server processed',
  reset_by_peer: 'reset by the peer',
  reset_by_local: 'reset by the server',
  timed_out: 'timed out',
  closed_while_sending: 'closed while sending',
  closed_while_receiving: 'closed while receiving',
};

const EVENT_WORDS: Record<NonNullable<CloseDetail['first']>, string> = {
  fin_received: 'the client closed (FIN)',
  fin_sent: 'the server closed (FIN)',
  rst_received: 'the client reset the connection (RST)',
  rst_sent: 'the server reset the connection (RST)',
  timeout: 'the server’s kernel gave up on the client (timeout)',
};

const PHASE_WORDS: Record<NonNullable<CloseDetail['phase']>, string> = {
  idle: 'idle between requests',
  receiving: 'receiving a request',
  processing: 'processing a complete request',
  sending: 'sending the response',
  last_acks: 'waiting for the last acknowledgements of the response',
};

const PROTOCOL_END_WORDS: Record<CloseDetail['protocolEnds'][number], string> = {
  tls_close_notify_received: 'the client’s TLS close_notify',
  tls_close_notify_sent: 'the server’s TLS close_notify',
  mysql_quit: 'the client’s MySQL COM_QUIT',
};

/** Who closed, how, and where the server was, in words. */
export function closeDetailWords(d: CloseDetail): string {
  const who = d.first ? EVENT_WORDS[d.first] : 'the connection closed';
  const where = d.phase
    ? ` while the server was ${PHASE_WORDS[d.phase]} (for ${formatUs(d.phaseUs)})`
    : '';
  const reset = d.abort && d.abort !== d.first ? `; then ${EVENT_WORDS[d.abort]}` : '';
  const ends = d.protocolEnds.length
    ? ` It ended with ${d.protocolEnds.map((e) => PROTOCOL_END_WORDS[e]).join(' and ')}.`
    : '';
  return `${who[0]!.toUpperCase()}${who.slice(1)}${where}${reset}.${ends} Close reason: ${CLOSE_REASON_LABELS[closeReason(d)]}.`;
}
