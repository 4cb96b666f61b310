import type { TcprtRecord } from '@tcprt/schema';

interface OpenConnection {
  id: number;
  peer: boolean;
  lastTaskNum: number;
}

/**
 * Gives every record the id of the connection it belongs to. A connection's records arrive in
 * order and end with its E record, so the 4-tuple identifies it until that E; the same tuple
 * afterwards is a new connection. Task numbers only grow within a connection, so a task number
 * that does not (R 1 after R 4) also starts a new connection: otherwise a lost E record (ring
 * buffer full under overload) would glue the tuple's next connection onto the old one.
 */
export class ConnectionIds {
  private readonly open = new Map<string, OpenConnection>();

  constructor(private lastId: number) {}

  /** Returns the connection's id and whether it is a client-side (peer-mode) connection. */
  assign(r: TcprtRecord): { id: number; peer: boolean } {
    const key = `${r.local.ip} ${r.local.port} ${r.peer.ip} ${r.peer.port}`;
    let conn = this.open.get(key);
    // Every record but E opens a task of its own (E repeats the last one's number and closes).
    if (conn && r.type !== 'E' && r.taskNum <= conn.lastTaskNum) conn = undefined;
    if (!conn) {
      conn = { id: ++this.lastId, peer: r.type === 'P', lastTaskNum: 0 };
      this.open.set(key, conn);
    }
    conn.lastTaskNum = r.taskNum;
    if (r.type === 'E') this.open.delete(key);
    return conn;
  }

  get openCount(): number {
    return this.open.size;
  }
}
