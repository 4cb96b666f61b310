import { CLOSE_REASONS, closeReason, type CloseReason, type ERecord } from '@tcprt/schema';

const SLOT_OF = new Map<CloseReason, number>(CLOSE_REASONS.map((reason, slot) => [reason, slot]));
const NORMAL_SLOT = SLOT_OF.get('normal')!;

/**
 * The `tcprt_connections_closed_total` slot a closed connection counts under: the index in the
 * schema's CLOSE_REASONS (the metric's `reason` values) of its E record's `closeReason`. A W or N
 * counts nothing of its own: its connection's E follows it with the same ending in its detail.
 * An E without a close detail (not from the collector, which always attaches one) counts
 * `normal`, as TCP-RT's E alone would read.
 */
export function closeReasonSlot(r: ERecord): number {
  return r.close ? SLOT_OF.get(closeReason(r.close))! : NORMAL_SLOT;
}
