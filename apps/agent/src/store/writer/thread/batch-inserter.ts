import type { Db } from '../../database';
import { RECORD_INSERT_COLUMNS, RECORD_INSERT_VALUES } from '../../record-row';
import { RollupStore } from '../../rollups';
import { unpackRow, type RecordBatch } from '../record-batch';

/**
 * Records per INSERT statement: one statement call per 64 rows instead of per row cuts the
 * per-row cost of binding and stepping by about a third (6.0 → 4.0 µs/row measured here);
 * larger chunks gain little more. 64 × 21 values stays far below SQLite's parameter limit.
 */
const ROWS_PER_INSERT = 64;

/**
 * OR FAIL, not the default ABORT: a multi-row INSERT that may abort midway makes SQLite copy every
 * page it touches into a statement journal first (spilled to a temporary file past 64 KiB), so
 * that it can undo just that statement: a fifth of this thread's CPU at ingest. Nothing needs
 * that undo here: a failing statement fails the whole batch's transaction, which is rolled back.
 */
function insertStatementSql(rows: number): string {
  const row = `(${Array.from({ length: RECORD_INSERT_VALUES }, () => '?').join(', ')})`;
  return `INSERT OR FAIL INTO records (${RECORD_INSERT_COLUMNS}) VALUES ${Array.from({ length: rows }, () => row).join(', ')}`;
}

/**
 * Stores a batch in one transaction: its rows, its rollups and its routes, so they never disagree.
 * Runs in the writer thread.
 */
export class BatchInserter {
  private readonly rollups: RollupStore;
  private readonly insertChunk;
  private readonly insertOne;
  private readonly upsertRoute;
  /**
   * Reused for every statement call: filled in place, so a batch allocates no per-row arrays.
   * Packed arrays (no holes), spread into the call as arguments: better-sqlite3 reads arguments
   * straight off the call, but reads an array argument element by element through V8's generic
   * property lookup, which was about a sixth of this thread's CPU at ingest.
   */
  private readonly chunkValues: unknown[] = Array.from(
    { length: ROWS_PER_INSERT * RECORD_INSERT_VALUES },
    () => null,
  );
  private readonly oneValues: unknown[] = Array.from({ length: RECORD_INSERT_VALUES }, () => null);
  readonly write: (batch: RecordBatch) => void;

  constructor(db: Db) {
    this.rollups = new RollupStore(db);
    this.insertChunk = db.prepare(insertStatementSql(ROWS_PER_INSERT));
    this.insertOne = db.prepare(insertStatementSql(1));
    this.upsertRoute = db.prepare<[number, string, number, number]>(
      `INSERT INTO http_routes (port, route, first_seen_ms, last_seen_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (port, route) DO UPDATE SET last_seen_ms = max(last_seen_ms, excluded.last_seen_ms)`,
    );
    this.write = db.transaction((batch: RecordBatch) => {
      const whole = batch.rows - (batch.rows % ROWS_PER_INSERT);
      for (let i = 0; i < whole; i += ROWS_PER_INSERT) {
        for (let slot = 0; slot < ROWS_PER_INSERT; slot++)
          unpackRow(batch, i + slot, this.chunkValues, slot * RECORD_INSERT_VALUES);
        this.insertChunk.run(...this.chunkValues);
      }
      for (let i = whole; i < batch.rows; i++) {
        unpackRow(batch, i, this.oneValues, 0);
        this.insertOne.run(...this.oneValues);
      }
      for (const rollup of batch.rollups) this.rollups.add(rollup);
      for (const r of batch.routes) this.upsertRoute.run(r.port, r.route, r.seenMs, r.seenMs);
    });
  }
}
