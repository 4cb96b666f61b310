import type { Db } from '../database';

/** A port_services row (unit and container are '' when none). */
export interface PortServiceRow {
  port: number;
  peer: number;
  process: string;
  unit: string;
  container: string;
  pid: number;
  command: string;
  cgroup: string | null;
  first_seen_ms: number;
  last_seen_ms: number;
}

/** Reads of port_services behind the API. */
export class PortServiceQueries {
  private readonly lastSeen;

  constructor(db: Db) {
    // A port has a handful of rows: rows first seen by the window's end come first, newest sighting first.
    this.lastSeen = db.prepare<[number, number, number], PortServiceRow>(
      `SELECT * FROM port_services WHERE port = ? AND peer = ?
       ORDER BY first_seen_ms <= ? DESC, last_seen_ms DESC LIMIT 1`,
    );
  }

  /** The process last seen on a port by `toMs` (a window's end); else the first seen after it. */
  lastSeenBy(port: number, peer: boolean, toMs: number): PortServiceRow | undefined {
    return this.lastSeen.get(port, peer ? 1 : 0, toMs);
  }
}
