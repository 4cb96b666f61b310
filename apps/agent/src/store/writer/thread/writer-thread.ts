import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openDatabase } from '../../database';
import {
  DELETED_SLOT,
  STORED_SLOT,
  type WriterReply,
  type WriterRequest,
  type WriterThreadData,
} from '../writer-messages';
import { BatchInserter } from './batch-inserter';
import { PortServiceInserter } from './port-service-inserter';
import { Retention } from './retention';
import { StatsLineInserter } from './stats-line-inserter';

/**
 * The writer's page cache. Appends touch only the right edge of each B-tree (per port for the
 * port indexes): a few MiB hold them. 16 MiB cost 15 MiB of resident memory at 200k records/s for
 * no measurable gain in CPU per record (docs/benchmarks.md, "Agent ingest").
 */
const WRITER_CACHE_KIB = 4 * 1024;

/**
 * The database's only writer: records, rollups, stats lines, port services and retention deletes
 * all happen on this thread, so SQLite's work runs beside the main thread's decoding and never takes a lock
 * the main thread's readers could wait on for long (WAL readers do not block on it at all).
 */
function openStore(data: WriterThreadData) {
  const db = openDatabase(data.file);
  db.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
  const retention = new Retention(db, data.retention);
  retention.boundWal();
  return {
    db,
    batches: new BatchInserter(db),
    statsLines: new StatsLineInserter(db),
    portServices: new PortServiceInserter(db),
    retention,
  };
}

function serve(port: MessagePort, data: WriterThreadData): void {
  // Null until the database opens: until then every request fails with why (records are counted
  // as not stored by the main thread), and an `open` request tries again.
  let store: ReturnType<typeof openStore> | null = null;
  let notOpen = 'the database is not open yet';
  /** Opens the database unless it is open; throws why not. */
  const open = () => {
    try {
      store ??= openStore(data);
    } catch (err) {
      notOpen = `the database cannot be opened: ${err instanceof Error ? err.message : String(err)}`;
      throw err;
    }
  };
  if (!data.deferOpen)
    try {
      open();
    } catch {
      // Reported with every request until an `open` request succeeds.
    }
  const deleted = (rows: number) => {
    if (rows) Atomics.add(data.counters, DELETED_SLOT, BigInt(rows));
  };
  const reply = (message: WriterReply, transfer: ArrayBuffer[] = []) =>
    port.postMessage(message, transfer);
  const opened = () => {
    if (!store) throw new Error(notOpen);
    return store;
  };
  let failing = false;
  port.on('message', (req: WriterRequest) => {
    try {
      switch (req.kind) {
        case 'batch': {
          const { batches, retention } = opened();
          batches.write(req.batch);
          Atomics.add(data.counters, STORED_SLOT, BigInt(req.batch.rows));
          Atomics.notify(data.counters, STORED_SLOT);
          deleted(retention.enforceSize());
          if (failing) reply({ kind: 'stored' });
          failing = false;
          break;
        }
        case 'statsLines':
          opened().statsLines.add(req.lines);
          break;
        case 'portServices':
          opened().portServices.add(req.seen);
          break;
        case 'retention':
          {
            const rows = opened().retention.run(req.nowMs);
            deleted(rows);
            reply({ kind: 'done', id: req.id, deleted: rows });
          }
          break;
        case 'sync':
          reply({ kind: 'done', id: req.id });
          break;
        case 'open':
          open();
          reply({ kind: 'done', id: req.id });
          break;
        case 'close':
          store?.db.close();
          reply({ kind: 'done', id: req.id });
          port.close();
          break;
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (req.kind === 'batch') {
        failing = true;
        reply({ kind: 'error', message, rows: req.batch.rows });
      } else reply({ kind: 'error', message, ...('id' in req ? { id: req.id } : {}) });
    }
    if (req.kind === 'batch' && req.batch.reusable) {
      const { values } = req.batch;
      reply({ kind: 'spare', values }, [values.buffer as ArrayBuffer]);
    }
  });
}

if (parentPort) serve(parentPort, workerData as WriterThreadData);
