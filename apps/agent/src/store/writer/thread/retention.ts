import type { Db } from '../../database';
import { FINEST_ROLLUP_KEEP_SEC, FINEST_ROLLUP_SEC } from '../../rollups';
import type { RetentionLimits } from '../retention-limits';

/** Deleting in bounded batches keeps each write transaction short, so ingest never stalls long. */
const BATCH_ROWS = 20_000;

export class Retention {
  private readonly deleteOldRecords;
  private readonly deleteOldestRecords;
  private readonly deleteOldRollups;
  private readonly deleteOldFinestRollups;
  private readonly deleteOldStats;

  constructor(
    private readonly db: Db,
    private readonly limits: RetentionLimits,
  ) {
    this.deleteOldRecords = db.prepare(
      'DELETE FROM records WHERE id IN (SELECT id FROM records WHERE start_us < ? ORDER BY start_us LIMIT ?)',
    );
    this.deleteOldestRecords = db.prepare(
      'DELETE FROM records WHERE id IN (SELECT id FROM records ORDER BY id LIMIT ?)',
    );
    this.deleteOldRollups = db.prepare('DELETE FROM rollups WHERE start_sec < ?');
    this.deleteOldFinestRollups = db.prepare(
      'DELETE FROM rollups WHERE width_sec = ? AND start_sec < ?',
    );
    this.deleteOldStats = db.prepare('DELETE FROM stats_lines WHERE at_sec < ?');
  }

  /** Bytes the database's live pages use (a deleted row's pages are reused before the file grows). */
  usedBytes(): number {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    return (pages - free) * pageSize;
  }

  /** One pass: drop everything older than the age limit, then the oldest records while over size. Returns rows deleted. */
  run(nowMs: number = Date.now()): number {
    const cutoffSec = Math.floor(nowMs / 1000) - this.limits.maxAgeSec;
    let deleted = 0;
    for (;;) {
      const n = this.deleteOldRecords.run(cutoffSec * 1_000_000, BATCH_ROWS).changes;
      deleted += n;
      if (n < BATCH_ROWS) break;
    }
    this.deleteOldRollups.run(cutoffSec);
    this.deleteOldFinestRollups.run(
      FINEST_ROLLUP_SEC,
      Math.max(cutoffSec, Math.floor(nowMs / 1000) - FINEST_ROLLUP_KEEP_SEC),
    );
    this.deleteOldStats.run(cutoffSec);
    while (this.usedBytes() > this.limits.maxSizeBytes) {
      const n = this.deleteOldestRecords.run(BATCH_ROWS).changes;
      deleted += n;
      if (n === 0) break;
    }
    return deleted;
  }
}
