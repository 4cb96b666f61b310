import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { RecordsPage, Status } from '@tcprt/schema';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from './fixtures/agent-harness';
import { makeTempDir, type TempDir } from '@tcprt/testkit/tempDir';
import { waitUntil } from '@tcprt/testkit/waitUntil';

/*
 * The agent's data directory on a small tmpfs that fills up under load: the agent keeps running,
 * counts what it could not store, never leaves a raw file mid-line, and stores again once space
 * is back; started on the full disk, it runs, says so, answers reads from its history and stores
 * once space is back. Mounting needs root.
 */
const isRoot = process.getuid?.() === 0;

let dir: TempDir;
let h: Harness;
let mounted = false;
beforeAll(async () => {
  if (!isRoot) return;
  dir = await makeTempDir('disk-full');
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=12m', 'tcprt-disk-full', dir.path]);
  mounted = true;
  h = await startHarness('per-port:\n  - port: 8080\n', dir);
});
afterAll(async () => {
  await h?.stop();
  // Lazily: a file still open elsewhere must not leave the mount behind.
  if (mounted) execFileSync('umount', ['--lazy', dir.path]);
  await dir?.remove();
});

const filler = () => path.join(dir.path, 'filler');

/** Writes a file until the disk is full. */
function fillDisk(): void {
  const fd = openSync(filler(), 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
}

async function status(): Promise<Status> {
  const res = await fetch(`${h.agent.url}/api/status`, { signal: AbortSignal.timeout(5000) });
  expect(res.status).toBe(200);
  return (await res.json()) as Status;
}

it.skipIf(!isRoot)(
  'keeps running on a full disk, counts what it could not store, and stores again when space is back',
  async () => {
    const feed = h.collector.feed(100);
    try {
      await waitUntil(
        'records stored',
        async () => (await status()).database.records > 1000,
        10_000,
      );
      fillDisk();
      await waitUntil(
        'unstored records and unwritten lines counted',
        async () => {
          const s = await status();
          return s.storage.unstoredRecords > 0 && s.storage.unwrittenRawLines > 0;
        },
        20_000,
      );
      const full = await status();
      console.log(`disk full: ${JSON.stringify(full.storage)}`);
      expect(full.storage.error).not.toBeNull();

      const rawDir = path.join(h.dataDir, 'raw');
      for (const file of readdirSync(rawDir)) {
        const text = readFileSync(path.join(rawDir, file), 'latin1');
        if (text.length) expect(text.endsWith('\n'), `${file} ends with a newline`).toBe(true);
      }

      rmSync(filler());
      const before = (await status()).database.records;
      await waitUntil(
        'records stored again',
        async () => {
          const s = await status();
          return s.storage.error === null && s.database.records > before + 1000;
        },
        20_000,
      );
      const after = await status();
      console.log(
        `space back: ${after.database.records - before} more records stored; ${after.storage.unstoredRecords} were not stored`,
      );
    } finally {
      feed.stop();
    }
    await h.agent.flush();
    expectIntegrity();
  },
);

function expectIntegrity(): void {
  const db = new Database(path.join(h.dataDir, 'tcprt.db'), { readonly: true });
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  db.close();
}

it.skipIf(!isRoot)(
  'starts on a full disk, says so, answers reads, and stores once space is back',
  async () => {
    await h.stop();
    // Closed by a writable connection, the last one: SQLite checkpoints and deletes -wal and -shm,
    // which the next start must then create on the full disk.
    const file = path.join(h.dataDir, 'tcprt.db');
    const stored = new Database(file);
    const recordsBefore = (
      stored.prepare('SELECT count(*) AS n FROM records').get() as { n: number }
    ).n;
    stored.close();
    expect(existsSync(`${file}-wal`) || existsSync(`${file}-shm`)).toBe(false);
    fillDisk();
    // The config and token are already on the disk: nothing new is written to start.
    h = await startHarness(undefined, dir);
    const started = await status();
    console.log(`started on a full disk: ${JSON.stringify(started.storage)}`);
    expect(started.storage.error).toMatch(/^disk full: the database cannot be opened for writing/);
    expect(started.database.records).toBe(recordsBefore);
    const read = await fetch(`${h.agent.url}/api/records?limit=5`);
    expect(read.status).toBe(200);
    expect(((await read.json()) as RecordsPage).items).toHaveLength(5);

    const feed = h.collector.feed(100);
    try {
      await waitUntil(
        'records counted as not stored',
        async () => (await status()).storage.unstoredRecords > 0,
        10_000,
      );
      rmSync(filler());
      await waitUntil(
        'records stored after space came back',
        async () => {
          const s = await status();
          return s.storage.error === null && s.database.records > recordsBefore + 1000;
        },
        20_000,
      );
      const after = await status();
      console.log(
        `space back: ${after.database.records - recordsBefore} records stored; ${after.storage.unstoredRecords} were not stored`,
      );
    } finally {
      feed.stop();
    }
    await h.agent.flush();
    expectIntegrity();
  },
);
