import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openDatabase, type Db } from '../../src/store/database';
import { makeTempDir, type TempDir } from '@tcprt/testkit/tempDir';

export interface TempDatabase {
  /** This test's database (a new file for every test). */
  readonly db: Db;
  /** Rows in `table`. */
  count: (table: string) => number;
}

/** Gives each test of the calling file a fresh history database in a temporary directory. */
export function useTempDatabase(name: string): TempDatabase {
  let dir: TempDir | undefined;
  let db: Db | undefined;
  beforeEach(async () => {
    dir = await makeTempDir(name);
    db = openDatabase(path.join(dir.path, 'tcprt.db'));
  });
  afterEach(async () => {
    db?.close();
    await dir?.remove();
  });
  const current = () => {
    if (!db) throw new Error('useTempDatabase: no database outside a test');
    return db;
  };
  return {
    get db() {
      return current();
    },
    count: (table) =>
      (current().prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
  };
}
