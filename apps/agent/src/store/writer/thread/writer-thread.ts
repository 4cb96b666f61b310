import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openDatabase } from '../../database';
import type { WriterReply, WriterRequest, WriterThreadData } from '../writer-messages';
import { BatchInserter } from './batch-inserter';
import { Retention } from './retention';
import { StatsLineInserter } from './stats-line-inserter';

const WRITER_CACHE_KIB = 16 * 1024;

/**
 * The database's only writer: records, rollups, stats lines and retention deletes all happen on
 * this thread, so SQLite's work runs beside the main thread's decoding and never takes a lock
 * the main thread's readers could wait on for long (WAL readers do not block on it at all).
 */
function serve(port: MessagePort, data: WriterThreadData): void {
  const db = openDatabase(data.file);
  // Appends touch only the right edge of each B-tree: the writer needs far less page cache than
  // the readers' connection (every MiB here is resident memory of the agent).
  db.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
  const batches = new BatchInserter(db);
  const statsLines = new StatsLineInserter(db);
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
