import type { HistorySpan, HistoryWindowInput } from '@tcprt/schema';
import { formatLogLine } from '@tcprt/schema';
import Database from 'better-sqlite3';
import { Readable } from 'node:stream';
import type { Db } from '../database';
import { recordFromRow, type RecordRow } from '../record-row';

/**
 * Rows read per step of a download: each step is one short synchronous query, so an hour of a
 * million records never sits in memory and other API calls run between steps.
 */
const ROWS_PER_STEP = 2000;
/**
 * Page cache of the downloads' own read-only connection: a download reads each page once, so a
 * big cache would only hold the agent's memory (the API connection's cache is 64 MiB) and push
 * the API's working set out of it.
 */
const DOWNLOAD_CACHE_KIB = 2048;

/** Stored records as log lines, for downloads of any window within retention. */
export class HistoryLines {
  private readonly spanQuery;
  private readonly ends;
  private readonly oldest;
  private readonly page;
  /** null: downloads read through `db` itself (a reader that holds the file locked). */
  private readonly downloads: Db | null;

  constructor(db: Db, { ownConnection = true }: { ownConnection?: boolean } = {}) {
    this.downloads = ownConnection
      ? new Database(db.name, { readonly: true, fileMustExist: true })
      : null;
    this.downloads?.pragma('busy_timeout = 5000');
    this.downloads?.pragma(`cache_size = -${DOWNLOAD_CACHE_KIB}`);
    this.spanQuery = db.prepare<[number, number], { lines: number }>(
      'SELECT count(*) AS lines FROM records WHERE start_us >= ? AND start_us < ?',
    );
    // Separate statements: SQLite answers a lone min()/max() from the index, not both at once.
    this.ends = {
      first: db.prepare<[number, number], { us: number | null }>(
        'SELECT min(start_us) AS us FROM records WHERE start_us >= ? AND start_us < ?',
      ),
      last: db.prepare<[number, number], { us: number | null }>(
        'SELECT max(start_us) AS us FROM records WHERE start_us >= ? AND start_us < ?',
      ),
    };
    this.oldest = db.prepare<[], { us: number | null }>('SELECT min(start_us) AS us FROM records');
    // Keyset paging along records_by_start (start_us, then rowid): each step starts after the last row sent.
    this.page = (this.downloads ?? db).prepare<[number, number, number, number, number], RecordRow>(
      `SELECT * FROM records WHERE start_us >= ? AND start_us < ? AND (start_us, id) > (?, ?)
       ORDER BY start_us, id LIMIT ?`,
    );
  }

  span({ fromMs, toMs }: HistoryWindowInput): HistorySpan {
    const range = [fromMs * 1000, toMs * 1000] as const;
    return {
      lines: this.spanQuery.get(...range)?.lines ?? 0,
      firstStartUs: this.ends.first.get(...range)?.us ?? null,
      lastStartUs: this.ends.last.get(...range)?.us ?? null,
      oldestStoredUs: this.oldest.get()?.us ?? null,
    };
  }

  /** The window's lines in start-time order, read a page at a time as the client takes them. */
  stream({ fromMs, toMs }: HistoryWindowInput): Readable {
    const page = this.page;
    let lastStartUs = -1;
    let lastId = 0;
    return new Readable({
      read() {
        const rows = page.all(fromMs * 1000, toMs * 1000, lastStartUs, lastId, ROWS_PER_STEP);
        if (rows.length === 0) {
          this.push(null);
          return;
        }
        let text = '';
        for (const row of rows) text += formatLogLine(recordFromRow(row));
        const last = rows[rows.length - 1]!;
        lastStartUs = last.start_us;
        lastId = last.id;
        this.push(text);
      },
    });
  }

  close(): void {
    this.downloads?.close();
  }
}
