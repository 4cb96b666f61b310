import { statSync } from 'node:fs';
import { WAL_CHECKPOINT_BYTES, type Db } from '../../database';
import { FINEST_ROLLUP_KEEP_SEC, FINEST_ROLLUP_SEC } from '../../rollups';
import type { RetentionLimits } from '../retention-limits';

/** Rows deleted per statement when over the size limit: small steps, so it never undershoots much. */
const SIZE_STEP_ROWS = 1000;

/**
 * Bytes the WAL may hold before it is checkpointed and cut back (journal_size_limit): an eighth of
 * the size limit, at most WAL_CHECKPOINT_BYTES. The size limit covers the database and its WAL.
 */
export function walBudgetBytes(limits: RetentionLimits): number {
  return Math.min(WAL_CHECKPOINT_BYTES, Math.floor(limits.maxSizeBytes / 8));
}

/** Deleting in bounded batches keeps each write transaction short, so ingest never stalls long. */
const BATCH_ROWS = 20_000;

export class Retention {
  private readonly deleteOldRecords;
  private readonly deleteOldestRecords;
  private readonly deleteOldRollups;
  private readonly deleteOldFinestRollups;
  private readonly deleteOldStats;
  private readonly deleteUnseenServices;
  private readonly deleteUnseenRoutes;
  private readonly deleteOldestRollups;
  private readonly deleteOldestStats;

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
    this.deleteUnseenServices = db.prepare('DELETE FROM port_services WHERE last_seen_ms < ?');
    this.deleteUnseenRoutes = db.prepare('DELETE FROM http_routes WHERE last_seen_ms < ?');
    // Rollups have no rowid: the oldest start time goes, across its widths.
    this.deleteOldestRollups = db.prepare(
      'DELETE FROM rollups WHERE start_sec = (SELECT min(start_sec) FROM rollups)',
    );
    this.deleteOldestStats = db.prepare(
      'DELETE FROM stats_lines WHERE id IN (SELECT id FROM stats_lines ORDER BY id LIMIT ?)',
    );
  }

  /** Makes the WAL part of the size budget: checkpointed and truncated at walBudgetBytes. */
  boundWal(): void {
    const budget = walBudgetBytes(this.limits);
    const pageBytes = this.db.pragma('page_size', { simple: true }) as number;
    this.db.pragma(`wal_autocheckpoint = ${Math.max(1, Math.floor(budget / pageBytes))}`);
    this.db.pragma(`journal_size_limit = ${budget}`);
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
    // A service not seen for the whole retention period names no record that is left.
    this.deleteUnseenServices.run(cutoffSec * 1000);
    // Likewise a route: a restarted agent no longer keeps room for it.
    this.deleteUnseenRoutes.run(cutoffSec * 1000);
    return deleted + this.enforceSize();
  }

  /**
   * Deletes the oldest records (then, with none left, the oldest rollups and stats lines) while
   * the live pages plus the WAL's budget exceed the size limit. Run after every stored batch, so
   * the database overshoots the limit by at most one batch. Returns the records deleted.
   */
  enforceSize(): number {
    const livePagesLimit = this.limits.maxSizeBytes - walBudgetBytes(this.limits);
    let deleted = 0;
    while (this.usedBytes() > livePagesLimit) {
      const n = this.deleteOldestRecords.run(SIZE_STEP_ROWS).changes;
      deleted += n;
      if (n > 0) continue;
      const other =
        this.deleteOldestRollups.run().changes + this.deleteOldestStats.run(SIZE_STEP_ROWS).changes;
      if (other === 0) break;
    }
    return deleted;
  }

  /** Bytes of the WAL file now (0 when there is none). */
  walBytes(): number {
    try {
      return statSync(`${this.db.name}-wal`).size;
    } catch {
      return 0;
    }
  }
}
