import type { TcprtRecord } from '@tcprt/schema';

/**
 * Gives every record the id of the connection it belongs to. A connection's records arrive in
 * order and end with its E record, so the 4-tuple identifies it until that E; the same tuple
 * afterwards is a new connection.
 */
export class ConnectionIds {
  private readonly open = new Map<string, { id: number; peer: boolean }>();

  constructor(private lastId: number) {}

  /** Returns the connection's id and whether it is a client-side (peer-mode) connection. */
  assign(r: TcprtRecord): { id: number; peer: boolean } {
    const key = `${r.local.ip} ${r.local.port} ${r.peer.ip} ${r.peer.port}`;
    let conn = this.open.get(key);
    if (!conn) {
      conn = { id: ++this.lastId, peer: r.type === 'P' };
      this.open.set(key, conn);
    }
    if (r.type === 'E') this.open.delete(key);
    return conn;
  }

  get openCount(): number {
    return this.open.size;
  }
}
