import type { ERecord, NRecord, WRecord } from '@tcprt/schema';

/** `tcprt_connections_closed_total`'s reasons, in slot order. */
export const CLOSE_REASONS = ['normal', 'while_sending', 'while_receiving'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];
export const CLOSE_NORMAL = 0;
export const CLOSE_WHILE_SENDING = 1;
export const CLOSE_WHILE_RECEIVING = 2;

interface Pending {
  localIp: string;
  peerIp: string;
}

/** Bounds the memory of W/N records whose E never came (lost to a full ring buffer). */
const MAX_PENDING = 65_536;

/**
 * Gives every closed connection exactly one reason. A connection's W or N record comes before its
 * E (SPEC §1), so W counts `while_sending`, N `while_receiving`, and an E counts `normal` only when
 * no W or N of its connection came before it. Only connections with a pending W/N are remembered,
 * so the common E costs one size check.
 */
export class CloseReasons {
  /** By the connection's two ports (a number: cheap to hash), then matched by address. */
  private readonly pending = new Map<number, Pending[]>();
  private pendingCount = 0;

  /** The reason slot a W or N record counts under; remembers its connection for the E. */
  failed(r: WRecord | NRecord): number {
    if (this.pendingCount >= MAX_PENDING) {
      this.pending.clear();
      this.pendingCount = 0;
    }
    const key = portsKey(r);
    const list = this.pending.get(key);
    const entry = { localIp: r.local.ip, peerIp: r.peer.ip };
    if (list) list.push(entry);
    else this.pending.set(key, [entry]);
    this.pendingCount++;
    return r.type === 'W' ? CLOSE_WHILE_SENDING : CLOSE_WHILE_RECEIVING;
  }

  /** Whether this E ends a connection already counted by its W or N (then it counts nothing). */
  closedAfterFailure(r: ERecord): boolean {
    if (this.pendingCount === 0) return false;
    const key = portsKey(r);
    const list = this.pending.get(key);
    if (!list) return false;
    const i = list.findIndex((p) => p.localIp === r.local.ip && p.peerIp === r.peer.ip);
    if (i < 0) return false;
    list.splice(i, 1);
    if (list.length === 0) this.pending.delete(key);
    this.pendingCount--;
    return true;
  }
}

function portsKey(r: WRecord | NRecord | ERecord): number {
  return r.local.port * 65_536 + r.peer.port;
}
