import type { StatsLine } from '@tcprt/schema';
import type { ObservedService } from '../port-services/port-service-tracker';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { BatchWriter } from './batch-writer';
import { openDatabase } from './database';
import { PortServiceStore } from './port-service-store';
import type { RecordBatch } from './record-batch';
import { Retention, type RetentionLimits } from './retention';
import { StatsLineStore } from './stats-line-store';

const WRITER_CACHE_KIB = 16 * 1024;

/** What the main thread asks of the writer thread; answered in order, one at a time. */
export type WriterRequest =
  | { kind: 'batch'; batch: RecordBatch }
  | { kind: 'statsLines'; lines: StatsLine[] }
  | { kind: 'portServices'; seen: ObservedService[] }
  | { kind: 'retention'; id: number; nowMs: number }
  /** Answered once everything sent before it is committed. */
  | { kind: 'sync'; id: number }
  | { kind: 'close'; id: number };

export type WriterReply =
  | { kind: 'done'; id: number; deleted?: number }
  /** `rows`: records of a batch that could not be stored; `id`: the request that failed. */
  | { kind: 'error'; message: string; rows?: number; id?: number };

export interface WriterThreadData {
  file: string;
  retention: RetentionLimits;
  /** [0]: rows committed so far, raised after each batch (the main thread reads and waits on it). */
  stored: BigInt64Array;
}

/**
 * The database's only writer: records, rollups, stats lines, port services and retention deletes all happen on
 * this thread, so SQLite's work runs beside the main thread's decoding and never takes a lock
 * the main thread's readers could wait on for long (WAL readers do not block on it at all).
 */
function serve(port: MessagePort, data: WriterThreadData): void {
  const db = openDatabase(data.file);
  // Appends touch only the right edge of each B-tree: the writer needs far less page cache than
  // the readers' connection (every MiB here is resident memory of the agent).
  db.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
  const batches = new BatchWriter(db);
  const statsLines = new StatsLineStore(db);
  const portServices = new PortServiceStore(db);
  const retention = new Retention(db, data.retention);
  const reply = (message: WriterReply) => port.postMessage(message);
  port.on('message', (req: WriterRequest) => {
    try {
      switch (req.kind) {
        case 'batch':
          batches.write(req.batch);
          Atomics.add(data.stored, 0, BigInt(req.batch.rows));
          Atomics.notify(data.stored, 0);
          break;
        case 'statsLines':
          statsLines.add(req.lines);
          break;
        case 'portServices':
          portServices.add(req.seen);
          break;
        case 'retention':
          reply({ kind: 'done', id: req.id, deleted: retention.run(req.nowMs) });
          break;
        case 'sync':
          reply({ kind: 'done', id: req.id });
          break;
        case 'close':
          db.close();
          reply({ kind: 'done', id: req.id });
          port.close();
          break;
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (req.kind === 'batch') reply({ kind: 'error', message, rows: req.batch.rows });
      else reply({ kind: 'error', message, ...('id' in req ? { id: req.id } : {}) });
    }
  });
}

if (parentPort) serve(parentPort, workerData as WriterThreadData);
