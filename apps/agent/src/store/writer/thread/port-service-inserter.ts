import type { ObservedService } from '../../../port-services/port-service-tracker';
import type { Db } from '../../database';

/** The writer thread's side of port_services: each scan's sightings, upserted in one transaction. */
export class PortServiceInserter {
  private readonly upsert;
  private readonly writeAll;

  constructor(db: Db) {
    this.upsert = db.prepare(
      `INSERT INTO port_services (port, peer, process, unit, container, pid, command, cgroup, first_seen_ms, last_seen_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (port, peer, process, unit, container) DO UPDATE SET
         pid = excluded.pid, command = excluded.command, cgroup = excluded.cgroup,
         last_seen_ms = max(last_seen_ms, excluded.last_seen_ms)`,
    );
    this.writeAll = db.transaction((seen: ObservedService[]) => {
      for (const s of seen) {
        this.upsert.run(
          s.port,
          s.peer ? 1 : 0,
          s.process,
          s.unit ?? '',
          s.container ?? '',
          s.pid,
          s.command,
          s.cgroup,
          s.seenMs,
          s.seenMs,
        );
      }
    });
  }

  add(seen: ObservedService[]): void {
    this.writeAll(seen);
  }
}
