import Database from 'better-sqlite3';
import { readdirSync, readFileSync, statfsSync } from 'node:fs';
import path from 'node:path';

export type Db = Database.Database;

/** Checkpoint every ~40 MiB of WAL instead of 4 MiB (less when a size limit is small, see retention). */
export const WAL_CHECKPOINT_BYTES = 40 * 1024 * 1024;
const MIGRATIONS_DIR = path.join(import.meta.dirname, 'migrations');

/** Numbered forward-only migrations: `NNNN-name.sql`, applied in order, tracked in `user_version`. */
function migrationFiles(): { version: number; file: string }[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{4}-.+\.sql$/.test(f))
    .map((file) => ({ version: Number(file.slice(0, 4)), file }))
    .sort((a, b) => a.version - b.version);
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const { version, file } of migrationFiles()) {
    if (version <= current) continue;
    const sql = readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    })();
  }
}

/** Opens (creating if needed) the history database in WAL mode with every migration applied. */
export function openDatabase(file: string): Db {
  const db = new Database(file);
  try {
    // Only takes effect when the file is new (before WAL is set). Bigger pages mean fewer B-tree
    // page splits and fewer pages per commit at ingest: 4 KiB → 16 KiB stored rows ~25 % cheaper here.
    db.pragma('page_size = 16384');
    db.pragma('journal_mode = WAL');
    // WAL + NORMAL: a power cut may lose the last flush, never corrupt the file.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -65536');
    // Checkpoint every ~40 MiB of WAL instead of 4 MiB: fewer checkpoints inside ingest transactions.
    const pageBytes = db.pragma('page_size', { simple: true }) as number;
    db.pragma(`wal_autocheckpoint = ${Math.round(WAL_CHECKPOINT_BYTES / pageBytes)}`);
    migrate(db);
  } catch (err) {
    // A connection left open would keep its lock on the file (e.g. on a full disk, where the
    // file is then opened for reading).
    db.close();
    throw err;
  }
  return db;
}

/** Below this much free space, a database that cannot be opened for writing is on a full disk. */
const FULL_DISK_FREE_BYTES = 1024 * 1024;

/**
 * Why a database cannot be opened for writing because its disk is full, or null for any other
 * failure. Opening in WAL mode creates the -wal and -shm files; on a full disk the -shm's first
 * 32 KiB cannot be allocated (SQLITE_IOERR_SHMSIZE) or the first write fails (SQLITE_FULL).
 */
export function fullDiskReason(file: string, err: unknown): string | null {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^(SQLITE_FULL|SQLITE_IOERR|ENOSPC|EDQUOT)/.test(code))
    return null;
  let freeBytes: number;
  try {
    const fs = statfsSync(path.dirname(file));
    // root may use the blocks kept back for it: what it has left is bfree.
    freeBytes = (process.getuid?.() === 0 ? fs.bfree : fs.bavail) * fs.bsize;
  } catch {
    return null;
  }
  if (code !== 'SQLITE_FULL' && freeBytes >= FULL_DISK_FREE_BYTES) return null;
  return `disk full: the database cannot be opened for writing (${(err as Error).message}, ${freeBytes} bytes free)`;
}

/**
 * The history for reading while the disk is too full to open it for writing: the file with an
 * exclusive lock, which keeps WAL's index in memory (no -shm to allocate), or, when the file holds
 * no history yet or cannot be read either, an empty one in memory. Close it before opening the
 * file for writing.
 */
export function openDatabaseReader(file: string): Db {
  try {
    const db = new Database(file);
    db.pragma('locking_mode = EXCLUSIVE');
    if ((db.pragma('user_version', { simple: true }) as number) > 0) return db;
    db.close();
  } catch {
    // an empty history below: reads answer, with nothing
  }
  const empty = new Database(':memory:');
  migrate(empty);
  return empty;
}
