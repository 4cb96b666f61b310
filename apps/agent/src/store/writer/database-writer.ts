import type { StatsLine, TcprtConfig, TcprtRecord } from '@tcprt/schema';
import { RouteGrouper } from '../../endpoints/route-grouper';
import type { ObservedService } from '../../port-services/port-service-tracker';
import { Worker } from 'node:worker_threads';
import type { Db } from '../database';
import { storedRoutes } from '../queries/route-queries';
import { RecordBatchBuilder } from './record-batch';
import { DEFAULT_RETENTION, type RetentionLimits } from './retention-limits';
import {
  DELETED_SLOT,
  STORED_SLOT,
  type WriterReply,
  type WriterRequest,
  type WriterThreadData,
} from './writer-messages';

/**
 * Records per batch handed to the writer thread, or every FLUSH_INTERVAL_MS, whichever comes
 * first. Each batch is one transaction; past a few thousand rows a commit's cost per row is
 * negligible (measured: 5 000-row and 20 000-row transactions store at the same rate), and
 * smaller batches keep the two threads working side by side instead of in turns.
 */
export const BATCH_ROWS = 4096;
/**
 * Below BATCH_ROWS per interval (~160k records/s) the timer sends the batch. A kill -9 loses the
 * batch being filled: 25 ms of traffic at most (WAL commits do not sync, so they stay cheap).
 */
const FLUSH_INTERVAL_MS = 25;
/**
 * Records sent to the thread but not stored yet, beyond which add() waits for the thread (about a
 * quarter of a second of its work; each waiting row holds ~170 bytes). Bursts faster than SQLite
 * are absorbed below this; a sustained overload then slows the reader down as a synchronous
 * writer did, instead of growing memory without bound: the loader's ring buffer absorbs it next,
 * and what it cannot hold it counts as lost.
 */
export const MAX_UNSTORED_ROWS = 16 * BATCH_ROWS;
const WAIT_SLICE_MS = 1000;

type Pending = { resolve(value: number): void; reject(err: Error): void };

/**
 * The agent's side of the database writer: records are given connection ids and routes, rolled
 * up and packed here, then stored by a worker thread (thread/writer-thread.ts), which is the only
 * connection that writes. Nothing is dropped: batches queue until the thread has stored them.
 */
export class DatabaseWriter {
  private readonly worker: Worker;
  private readonly batcher: RecordBatchBuilder;
  private readonly routes = new RouteGrouper();
  private readonly waiting = new Map<number, Pending>();
  private timer: NodeJS.Timeout | null = null;
  private nextId = 1;
  /** Written by the thread (STORED_SLOT, DELETED_SLOT), so add() can wait on it without the event loop. */
  private readonly counters = new BigInt64Array(new SharedArrayBuffer(16));
  private sentRows = 0;
  private lostRows = 0;
  /** Why the last batch could not be stored; null once a batch is stored again. */
  private lastBatchError: string | null = null;
  private failure: Error | null = null;
  private closing: Promise<void> | null = null;

  /**
   * `db` is the main thread's connection; the thread opens `file` (by default `db`'s), at once or,
   * with `deferOpen` (`db` is a reader holding the file locked), only when `open()` is called.
   */
  constructor(
    db: Db,
    retention: RetentionLimits = DEFAULT_RETENTION,
    { file = db.name, deferOpen = false }: { file?: string; deferOpen?: boolean } = {},
  ) {
    const last = db.prepare('SELECT max(connection_id) AS id FROM records').get() as {
      id: number | null;
    };
    // The routes of earlier runs first, so requests are grouped as before the restart.
    for (const { port, route } of storedRoutes(db)) this.routes.remember(port, route);
    this.batcher = new RecordBatchBuilder(last.id ?? 0, BATCH_ROWS, this.routes);
    const workerData: WriterThreadData = { file, retention, counters: this.counters, deferOpen };
    this.worker = new Worker(new URL('./thread/writer-thread-entry.mjs', import.meta.url), {
      workerData,
    });
    this.worker.on('message', (reply: WriterReply) => this.onReply(reply));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) =>
      this.fail(new Error(`the record writer thread exited (${code})`)),
    );
  }

  add(r: TcprtRecord): void {
    this.batcher.add(r);
    if (this.batcher.full) {
      this.send();
      this.waitForThread();
    } else {
      this.timer ??= setTimeout(() => this.send(), FLUSH_INTERVAL_MS);
    }
  }

  /** Blocks while the thread is more than MAX_UNSTORED_ROWS behind (it stores without this thread's event loop). */
  private waitForThread(): void {
    for (;;) {
      const stored = Atomics.load(this.counters, STORED_SLOT);
      if (this.failure || this.sentRows - this.lostRows - Number(stored) <= MAX_UNSTORED_ROWS)
        return;
      Atomics.wait(this.counters, STORED_SLOT, stored, WAIT_SLICE_MS);
    }
  }

  /** The rules' route patterns apply to requests added from now on. */
  setConfig(config: TcprtConfig): void {
    this.routes.setConfig(config);
  }

  /** Stats lines go through the writer thread too: it is the database's only writer. */
  addStatsLines(lines: StatsLine[]): void {
    if (lines.length) this.post({ kind: 'statsLines', lines });
  }

  /** Port-service sightings go through the writer thread too. */
  addPortServices(seen: ObservedService[]): void {
    if (seen.length) this.post({ kind: 'portServices', seen });
  }

  /** Resolves once everything added so far is committed. */
  async flush(): Promise<void> {
    this.send();
    await this.request((id) => ({ kind: 'sync', id }));
  }

  /** Opens the database on the thread if it is not open (started with `deferOpen`, or it failed). */
  async open(): Promise<void> {
    await this.request((id) => ({ kind: 'open', id }));
  }

  /** Runs retention after everything added so far is stored; resolves with the records deleted. */
  runRetention(nowMs: number = Date.now()): Promise<number> {
    this.send();
    return this.request((id) => ({ kind: 'retention', id, nowMs }));
  }

  /** Records committed to the database since start. */
  get writtenCount(): number {
    return Number(Atomics.load(this.counters, STORED_SLOT));
  }

  /** Records retention deleted since start (by age, and by size after every batch). */
  get deletedCount(): number {
    return Number(Atomics.load(this.counters, DELETED_SLOT));
  }

  /** Records that could not be stored (e.g. disk full) since start, and the last reason. */
  get unstored(): { count: number; lastError: string | null } {
    return { count: this.lostRows, lastError: this.lastBatchError };
  }

  /** Records added but not committed yet. */
  get pendingCount(): number {
    return this.batcher.size + this.sentRows - this.lostRows - this.writtenCount;
  }

  /** Stores what is queued, then ends the thread. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.send();
      try {
        if (!this.failure) await this.request((id) => ({ kind: 'close', id }));
      } finally {
        await this.worker.terminate();
      }
    })();
    return this.closing;
  }

  private send(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.batcher.take();
    if (!batch) return;
    this.sentRows += batch.rows;
    // The values' buffer is moved to the thread, not copied; the rest is copied at once, so
    // the rollups' histograms can be reused.
    this.post({ kind: 'batch', batch }, [batch.values.buffer as ArrayBuffer]);
    this.batcher.recycle(batch);
  }

  private post(request: WriterRequest, transfer: ArrayBuffer[] = []): void {
    if (!this.failure) this.worker.postMessage(request, transfer);
  }

  private request(build: (id: number) => WriterRequest): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<number>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.post(build(id));
    });
  }

  private onReply(reply: WriterReply): void {
    switch (reply.kind) {
      case 'done':
        this.settle(reply.id, (p) => p.resolve(reply.deleted ?? 0));
        return;
      case 'stored':
        this.lastBatchError = null;
        return;
      case 'spare':
        this.batcher.recycleValues(reply.values);
        return;
      case 'error':
        if (reply.rows) {
          // Counted as handled so nothing waits for them; the loss is reported, not hidden.
          this.lostRows += reply.rows;
          this.lastBatchError = reply.message;
          process.stderr.write(
            `tcprt agent: ${reply.rows} records could not be stored: ${reply.message}\n`,
          );
        }
        if (reply.id !== undefined)
          this.settle(reply.id, (p) => p.reject(new Error(reply.message)));
        return;
    }
  }

  private settle(id: number, how: (p: Pending) => void): void {
    const pending = this.waiting.get(id);
    this.waiting.delete(id);
    if (pending) how(pending);
  }

  private fail(err: Error): void {
    if (!this.failure && !this.closing)
      process.stderr.write(`tcprt agent: record writer: ${err.message}\n`);
    this.failure ??= err;
    for (const pending of this.waiting.values()) pending.reject(err);
    this.waiting.clear();
  }
}
