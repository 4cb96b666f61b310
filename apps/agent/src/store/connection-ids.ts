import type { TcprtRecord } from '@tcprt/schema';

interface OpenConnection {
  id: number;
  peer: boolean;
  localIp: string;
  peerIp: string;
}

/**
 * Gives every record the id of the connection it belongs to. A connection's records arrive in
 * order and end with its E record, so the 4-tuple identifies it until that E; the same tuple
 * afterwards is a new connection.
 */
export class ConnectionIds {
  /**
   * Open connections by their two ports, then matched by address. A numeric key instead of a
   * 4-tuple string: building and hashing that string for every record was a visible share of
   * ingest CPU. Address strings compare cheaply (the collector reuses one string per address).
   */
  private readonly open = new Map<number, OpenConnection[]>();
  private count = 0;

  constructor(private lastId: number) {}

  /** Returns the connection's id and whether it is a client-side (peer-mode) connection. */
  assign(r: TcprtRecord): { id: number; peer: boolean } {
    const ports = r.local.port * 65_536 + r.peer.port;
    let list = this.open.get(ports);
    let index = -1;
    if (list) {
      for (let i = 0; i < list.length; i++) {
        const c = list[i]!;
        if (c.localIp === r.local.ip && c.peerIp === r.peer.ip) {
          index = i;
          break;
        }
      }
    } else {
      list = [];
      this.open.set(ports, list);
    }
    let conn: OpenConnection;
    if (index < 0) {
      conn = { id: ++this.lastId, peer: r.type === 'P', localIp: r.local.ip, peerIp: r.peer.ip };
      index = list.push(conn) - 1;
      this.count++;
    } else {
      conn = list[index]!;
    }
    if (r.type === 'E') {
      list.splice(index, 1);
      if (list.length === 0) this.open.delete(ports);
      this.count--;
    }
    return conn;
  }

  get openCount(): number {
    return this.count;
  }
}
