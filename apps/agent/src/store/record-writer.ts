import type { TcprtRecord } from '@tcprt/schema';
import type { Db } from './database';
import { ConnectionIds } from './connection-ids';
import { RollupBuffer, RollupStore } from './rollups';
import { insertValuesOf, RECORD_INSERT_COLUMNS } from './record-row';

/** Flush when this many records wait, or every FLUSH_INTERVAL_MS, whichever comes first. */
const FLUSH_BATCH = 20_000;
const FLUSH_INTERVAL_MS = 100;

/**
 * The database's only writer for records: queues what the collector delivers and inserts it in
 * one transaction per flush (rows + their minute and hour rollups), never dropping a record.
 */
export class RecordWriter {
  private queue: TcprtRecord[] = [];
  private readonly connections: ConnectionIds;
  private readonly rollups: RollupStore;
  private readonly insert;
  private readonly flushTx;
  private timer: NodeJS.Timeout | null = null;
  private written = 0;

  constructor(private readonly db: Db) {
    const last = db.prepare('SELECT max(connection_id) AS id FROM records').get() as { id: number | null };
    this.connections = new ConnectionIds(last.id ?? 0);
    this.rollups = new RollupStore(db);
    this.insert = db.prepare(
      `INSERT INTO records (${RECORD_INSERT_COLUMNS}) VALUES (${RECORD_INSERT_COLUMNS.split(',').map(() => '?').join(', ')})`,
    );
    this.flushTx = db.transaction((batch: TcprtRecord[]) => {
      const buffer = new RollupBuffer();
      for (const r of batch) {
        const conn = this.connections.assign(r);
        this.insert.run(insertValuesOf(r, conn.id));
        buffer.add(r, conn.peer);
      }
      for (const rollup of buffer.drain()) this.rollups.add(rollup);
    });
  }

  add(r: TcprtRecord): void {
    this.queue.push(r);
    if (this.queue.length >= FLUSH_BATCH) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_INTERVAL_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.flushTx(batch);
    this.written += batch.length;
  }

  /** Records committed to the database since start. */
  get writtenCount(): number {
    return this.written;
  }

  get pendingCount(): number {
    return this.queue.length;
  }

  close(): void {
    this.flush();
  }
}
