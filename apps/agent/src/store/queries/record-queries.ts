import {
  MAX_COUNTED_RECORDS,
  type ConnectionTimeline,
  type RecordSort,
  type RecordsCount,
  type RecordsCountInput,
  type RecordsListInput,
  type RecordsPage,
  type StoredRecord,
} from '@tcprt/schema';
import { TRPCError } from '@trpc/server';
import type { Db } from '../database';
import type { RecordRow } from '../record-row';
import { storedRecordFromRow } from './stored-record';

const SORT_COLUMNS: Record<RecordSort, keyof RecordRow> = {
  time: 'start_us',
  total: 'total_us',
  upload: 'upload_us',
  process: 'process_us',
  download: 'download_us',
  receiverLimited: 'receiver_limited_permille',
  networkLimited: 'network_limited_permille',
  applicationLimited: 'application_limited_permille',
  throughput: 'download_bytes_per_sec',
};

/** The cursor is the last row's (sort value, id), so the next page starts strictly after it. */
function encodeCursor(value: number, id: number): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

function decodeCursor(cursor: string): [number, number] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      parsed.every((v) => Number.isSafeInteger(v))
    ) {
      return parsed as [number, number];
    }
  } catch {
    // fall through to the error below
  }
  throw new TRPCError({
    code: 'BAD_REQUEST',
    message: 'invalid cursor: pass back a nextCursor unchanged',
  });
}

/** Read side of the records table; every query is served by an index (0001-initial.sql, 0004-http-requests.sql). */
export class RecordQueries {
  private readonly byId;
  private readonly byConnection;
  private readonly after;
  private readonly countAll;
  private readonly oldestQuery;
  private readonly lastQuery;

  constructor(private readonly db: Db) {
    this.byId = db.prepare<[number], RecordRow>('SELECT * FROM records WHERE id = ?');
    this.byConnection = db.prepare<[number], RecordRow>(
      'SELECT * FROM records WHERE connection_id = ? ORDER BY id',
    );
    this.after = db.prepare<[number, number], RecordRow>(
      'SELECT * FROM records WHERE id > ? ORDER BY id LIMIT ?',
    );
    this.countAll = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM records');
    // Two statements: SQLite answers a lone min()/max() from an index, but scans for two at once.
    this.oldestQuery = db.prepare<[], { oldest: number | null }>(
      'SELECT min(start_us) AS oldest FROM records',
    );
    this.lastQuery = db.prepare<[], { last: number | null }>('SELECT max(id) AS last FROM records');
  }

  /** WHERE terms and their parameters for a list's or count's filters. */
  private filters(input: RecordsCountInput): { where: string[]; params: (number | string)[] } {
    const where: string[] = [];
    const params: (number | string)[] = [];
    if (input.fromMs !== undefined) {
      where.push('start_us >= ?');
      params.push(input.fromMs * 1000);
    }
    if (input.toMs !== undefined) {
      where.push('start_us < ?');
      params.push(input.toMs * 1000);
    }
    if (input.kinds) {
      const kinds = input.kinds.split(',');
      where.push(`kind IN (${kinds.map(() => '?').join(',')})`);
      params.push(...kinds);
    }
    if (input.extension) {
      // Extension letters live with the other V7-only fields in extra_json (NULL for V6 rows).
      where.push(`json_extract(extra_json, '$.extensions') LIKE ?`);
      params.push(`%${input.extension}%`);
    }
    const equal: [keyof RecordsListInput, string][] = [
      ['localPort', 'local_port'],
      ['peerPort', 'peer_port'],
      ['peerAddr', 'peer_addr'],
      ['method', 'http_method'],
      ['route', 'http_route'],
      ['status', 'http_status'],
    ];
    // Lets SQLite use the partial index of the rows with a request (0004-http-requests.sql).
    if (input.method !== undefined || input.route !== undefined || input.status !== undefined)
      where.push('http_route IS NOT NULL');
    for (const [key, col] of equal) {
      const value = input[key as keyof RecordsCountInput];
      if (value !== undefined) {
        where.push(`${col} = ?`);
        params.push(value);
      }
    }
    const minimums: [keyof RecordsListInput, string][] = [
      ['minTotalUs', 'total_us'],
      ['minUploadUs', 'upload_us'],
      ['minProcessUs', 'process_us'],
      ['minDownloadUs', 'download_us'],
    ];
    for (const [key, col] of minimums) {
      const value = input[key as keyof RecordsCountInput];
      if (value !== undefined) {
        where.push(`${col} >= ?`);
        params.push(value);
      }
    }
    return { where, params };
  }

  /** Counts the records matching the filters, up to MAX_COUNTED_RECORDS (then `capped`). */
  countMatching(input: RecordsCountInput): RecordsCount {
    const { where, params } = this.filters(input);
    const sql =
      `SELECT count(*) AS n FROM (SELECT 1 FROM records ` +
      `${where.length ? `WHERE ${where.join(' AND ')}` : ''} LIMIT ?)`;
    const n =
      this.db
        .prepare<(number | string)[], { n: number }>(sql)
        .get(...params, MAX_COUNTED_RECORDS + 1)?.n ?? 0;
    return { count: Math.min(n, MAX_COUNTED_RECORDS), capped: n > MAX_COUNTED_RECORDS };
  }

  list(input: RecordsListInput): RecordsPage {
    const column = SORT_COLUMNS[input.sort];
    const { where, params } = this.filters(input);
    if (column !== 'start_us') where.push(`${column} IS NOT NULL`);
    const descending = input.order === 'desc';
    const direction = descending ? 'DESC' : 'ASC';
    if (input.cursor) {
      const [value, id] = decodeCursor(input.cursor);
      where.push(`(${column}, id) ${descending ? '<' : '>'} (?, ?)`);
      params.push(value, id);
    }
    const sql =
      `SELECT * FROM records ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ` +
      `ORDER BY ${column} ${direction}, id ${direction} LIMIT ?`;
    const rows = this.db
      .prepare<(number | string)[], RecordRow>(sql)
      .all(...params, input.limit + 1);
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > input.limit && last ? encodeCursor(last[column] as number, last.id) : null;
    return { items: page.map(storedRecordFromRow), nextCursor };
  }

  get(id: number): StoredRecord | null {
    const row = this.byId.get(id);
    return row ? storedRecordFromRow(row) : null;
  }

  connection(connectionId: number): ConnectionTimeline | null {
    const rows = this.byConnection.all(connectionId);
    if (rows.length === 0) return null;
    const records = rows.map(storedRecordFromRow);
    const closing = records.find((r) => r.kind === 'E') ?? null;
    return { connectionId, records, closing };
  }

  tail(afterId: number, limit: number): { items: StoredRecord[]; lastId: number } {
    const items = this.after.all(afterId, limit).map(storedRecordFromRow);
    return { items, lastId: items.at(-1)?.id ?? afterId };
  }

  /** Scans an index: the agent calls it once at start and keeps the count itself afterwards. */
  count(): number {
    return this.countAll.get()?.n ?? 0;
  }

  /** Both are single index lookups (min of an index, max rowid). */
  ends(): { oldestStartUs: number | null; lastRecordId: number } {
    return {
      oldestStartUs: this.oldestQuery.get()?.oldest ?? null,
      lastRecordId: this.lastQuery.get()?.last ?? 0,
    };
  }
}
