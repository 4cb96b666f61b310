import { z } from 'zod';

/*
 * How a connection ended, beyond TCP-RT's W/N/E (DESIGN §7, ours): the kernel's close detail of
 * each connection (carried on its E record, never in a log line) and the one bounded set of close
 * reasons every consumer counts by — the store, the API's stats.closeReasons, the metrics'
 * `reason` label, the console.
 */

/** What began the end: the first FIN or RST, and which way it went; a kernel timeout. */
export const CLOSE_EVENTS = [
  'fin_received',
  'fin_sent',
  'rst_received',
  'rst_sent',
  'timeout',
] as const;
export const closeEventSchema = z.enum(CLOSE_EVENTS);
export type CloseEvent = z.infer<typeof closeEventSchema>;

/** The events that abort a connection rather than close it in order. */
export const ABORT_EVENTS = ['rst_received', 'rst_sent', 'timeout'] as const satisfies CloseEvent[];
export const abortEventSchema = z.enum(ABORT_EVENTS);

/** Where the server side was when the first closing event happened. */
export const CLOSE_PHASES = [
  /** Between tasks: the last response acknowledged. */
  'idle',
  /** Receiving a request (or the port's mode cannot see where a request ends). */
  'receiving',
  /** The request complete as far as the mode sees (http/https), no response byte yet. */
  'processing',
  /** Response bytes still queued, not yet on the wire. */
  'sending',
  /** The whole response on the wire, waiting for the peer's acknowledgements. */
  'last_acks',
] as const;
export const closePhaseSchema = z.enum(CLOSE_PHASES);
export type ClosePhase = z.infer<typeof closePhaseSchema>;

/** Protocol endings that are not failures. */
export const PROTOCOL_ENDS = [
  /** https: the client's TLS close_notify. */
  'tls_close_notify_received',
  /** https: our TLS close_notify. */
  'tls_close_notify_sent',
  /** default mode: the client's last request had the shape of MySQL's COM_QUIT. */
  'mysql_quit',
] as const;
export const protocolEndSchema = z.enum(PROTOCOL_ENDS);
export type ProtocolEnd = z.infer<typeof protocolEndSchema>;

export const closeDetailSchema = z.object({
  /** The first closing event; null when the kernel saw none (should not happen). */
  first: closeEventSchema.nullable(),
  /** A reset or timeout that ended the connection (first or after a FIN), else null. */
  abort: abortEventSchema.nullable(),
  /** Server side only; null on the client side (peer rules). */
  phase: closePhaseSchema.nullable(),
  /** Time spent in that phase until the first closing event. */
  phaseUs: z.int().min(0),
  protocolEnds: z.array(protocolEndSchema),
});
export type CloseDetail = z.infer<typeof closeDetailSchema>;

/** Who closed first. */
export function closedBy(d: CloseDetail): 'local' | 'peer' | null {
  switch (d.first) {
    case 'fin_received':
    case 'rst_received':
      return 'peer';
    case null:
      return null;
    default:
      return 'local';
  }
}

/** The bounded set of close reasons (the metrics' `reason` label takes exactly these). */
export const CLOSE_REASONS = [
  'normal',
  'peer_gave_up',
  'reset_by_peer',
  'reset_by_local',
  'timed_out',
  'closed_while_sending',
  'closed_while_receiving',
] as const;
export const closeReasonSchema = z.enum(CLOSE_REASONS);
export type CloseReason = z.infer<typeof closeReasonSchema>;

/**
 * The reason of a close detail, first rule that applies: a protocol ending (close_notify,
 * COM_QUIT) is normal; the peer closing while the server processed a complete request gave up;
 * a reset or timeout is named by who reset; a close in the middle of a request or response is
 * "closed while …"; everything else (a FIN between tasks) is normal.
 */
export function closeReason(d: CloseDetail): CloseReason {
  if (d.protocolEnds.length > 0) return 'normal';
  if (d.phase === 'processing' && closedBy(d) === 'peer') return 'peer_gave_up';
  switch (d.abort) {
    case 'rst_received':
      return 'reset_by_peer';
    case 'rst_sent':
      return 'reset_by_local';
    case 'timeout':
      return 'timed_out';
  }
  switch (d.phase) {
    case 'receiving':
    case 'processing':
      return 'closed_while_receiving';
    case 'sending':
    case 'last_acks':
      return 'closed_while_sending';
    default:
      return 'normal';
  }
}
