import type { TcprtRecord } from '@tcprt/schema';

interface OpenConnection {
  id: number;
  peer: boolean;
  lastTaskNum: number;
  localIp: string;
  peerIp: string;
}

/**
 * Gives every record the id of the connection it belongs to. A connection's records arrive in
 * order and end with its E record, so the 4-tuple identifies it until that E; the same tuple
 * afterwards is a new connection. Task numbers only grow within a connection, so a task number
 * that does not (R 1 after R 4) also starts a new connection: otherwise a lost E record (ring
 * buffer full under overload) would glue the tuple's next connection onto the old one.
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
    let conn = index < 0 ? undefined : list[index]!;
    // Every record but E opens a task of its own (E repeats the last one's number and closes).
    if (conn && r.type !== 'E' && r.taskNum <= conn.lastTaskNum) conn = undefined;
    if (!conn) {
      conn = {
        id: ++this.lastId,
        peer: r.type === 'P',
        lastTaskNum: 0,
        localIp: r.local.ip,
        peerIp: r.peer.ip,
      };
      if (index < 0) {
        index = list.push(conn) - 1;
        this.count++;
      } else {
        list[index] = conn;
      }
    }
    conn.lastTaskNum = r.taskNum;
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
