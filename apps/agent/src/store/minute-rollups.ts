import type { TcprtRecord } from '@tcprt/schema';
import { fromPairs, merge, record as recordInto, toPairs, type Histogram } from './histogram';
import type { Db } from './database';

/** Stats lines count a W as failed only when it ran longer than this (SPEC §3). */
const FAIL_MIN_ELAPSED_US = 100;

export interface Rollup {
  port: number;
  peer: boolean;
  minuteSec: number;
  /** Every record of the port, whatever its kind. */
  records: number;
  /** Tasks counted as SPEC §3 counts them (R with bytes sent, or P). */
  count: number;
  sumTotalUs: number;
  sumUploadUs: number;
  sumProcessUs: number;
  sumDownloadUs: number;
  sumMinRttUs: number;
  sumBytesSent: number;
  sumBytesReceived: number;
  retrans: number;
  packets: number;
  fails: number;
  closes: number;
  closesSending: number;
  closesReceiving: number;
  total: Histogram;
  upload: Histogram;
  process: Histogram;
  download: Histogram;
}

export function emptyRollup(port: number, peer: boolean, minuteSec: number): Rollup {
  return {
    port, peer, minuteSec,
    records: 0, count: 0, sumTotalUs: 0, sumUploadUs: 0, sumProcessUs: 0, sumDownloadUs: 0, sumMinRttUs: 0,
    sumBytesSent: 0, sumBytesReceived: 0, retrans: 0, packets: 0, fails: 0,
    closes: 0, closesSending: 0, closesReceiving: 0,
    total: new Map(), upload: new Map(), process: new Map(), download: new Map(),
  };
}

/** Adds one counted task; positional arguments because this runs for every record. */
function addTask(
  r: Rollup,
  totalUs: number,
  uploadUs: number,
  processUs: number,
  downloadUs: number,
  rec: { minRttUs: number; bytesSent: number; bytesReceived: number; retrans: number; mss: number },
): void {
  r.count++;
  r.sumTotalUs += totalUs;
  r.sumUploadUs += uploadUs;
  r.sumProcessUs += processUs;
  r.sumDownloadUs += downloadUs;
  r.sumMinRttUs += rec.minRttUs;
  r.sumBytesSent += rec.bytesSent;
  r.sumBytesReceived += rec.bytesReceived;
  r.retrans += rec.retrans;
  r.packets += (rec.mss > 0 ? Math.floor(rec.bytesSent / rec.mss) : 0) + 1;
  recordInto(r.total, totalUs);
  recordInto(r.upload, uploadUs);
  recordInto(r.process, processUs);
  recordInto(r.download, downloadUs);
}

/** Accumulates records into per-port, per-minute rollups between flushes. */
export class RollupBuffer {
  private readonly pending = new Map<string, Rollup>();

  add(rec: TcprtRecord, connectionIsPeer: boolean): void {
    const minuteSec = Math.floor(rec.startSec / 60) * 60;
    const peer = rec.type === 'P' || (rec.type === 'E' && connectionIsPeer);
    const port = peer ? rec.peer.port : rec.local.port;
    const key = `${port}|${peer ? 1 : 0}|${minuteSec}`;
    let r = this.pending.get(key);
    if (!r) {
      r = emptyRollup(port, peer, minuteSec);
      this.pending.set(key, r);
    }
    r.records++;
    switch (rec.type) {
      case 'R':
        // Like the stats lines, only tasks that sent a response count.
        if (rec.bytesSent > 0) {
          addTask(r, rec.totalUs, rec.uploadUs, rec.processUs, Math.max(0, rec.totalUs - rec.uploadUs - rec.processUs), rec);
        }
        break;
      case 'P':
        addTask(r, rec.totalUs, Math.max(0, rec.totalUs - rec.serviceUs - rec.receiveUs), rec.serviceUs, rec.receiveUs, rec);
        break;
      case 'W':
        r.closesSending++;
        if (rec.elapsedUs > FAIL_MIN_ELAPSED_US) r.fails++;
        break;
      case 'N':
        r.closesReceiving++;
        break;
      case 'E':
        r.closes++;
        break;
    }
  }

  drain(): Rollup[] {
    const out = [...this.pending.values()];
    this.pending.clear();
    return out;
  }
}

interface RollupRow {
  port: number;
  peer: 0 | 1;
  minute_sec: number;
  records: number;
  count: number;
  sum_total_us: number;
  sum_upload_us: number;
  sum_process_us: number;
  sum_download_us: number;
  sum_min_rtt_us: number;
  sum_bytes_sent: number;
  sum_bytes_received: number;
  retrans: number;
  packets: number;
  fails: number;
  closes: number;
  closes_sending: number;
  closes_receiving: number;
  histograms_json: string;
}

interface HistogramsJson {
  total: [number, number][];
  upload: [number, number][];
  process: [number, number][];
  download: [number, number][];
}

export function rollupFromRow(row: RollupRow): Rollup {
  const h = JSON.parse(row.histograms_json) as HistogramsJson;
  return {
    port: row.port,
    peer: row.peer === 1,
    minuteSec: row.minute_sec,
    records: row.records,
    count: row.count,
    sumTotalUs: row.sum_total_us,
    sumUploadUs: row.sum_upload_us,
    sumProcessUs: row.sum_process_us,
    sumDownloadUs: row.sum_download_us,
    sumMinRttUs: row.sum_min_rtt_us,
    sumBytesSent: row.sum_bytes_sent,
    sumBytesReceived: row.sum_bytes_received,
    retrans: row.retrans,
    packets: row.packets,
    fails: row.fails,
    closes: row.closes,
    closesSending: row.closes_sending,
    closesReceiving: row.closes_receiving,
    total: fromPairs(h.total),
    upload: fromPairs(h.upload),
    process: fromPairs(h.process),
    download: fromPairs(h.download),
  };
}

/** Adds `from` into `into` (same port; any minutes). */
export function mergeRollup(into: Rollup, from: Rollup): void {
  const sums = [
    'records', 'count', 'sumTotalUs', 'sumUploadUs', 'sumProcessUs', 'sumDownloadUs', 'sumMinRttUs', 'sumBytesSent',
    'sumBytesReceived', 'retrans', 'packets', 'fails', 'closes', 'closesSending', 'closesReceiving',
  ] as const;
  for (const k of sums) into[k] += from[k];
  merge(into.total, from.total);
  merge(into.upload, from.upload);
  merge(into.process, from.process);
  merge(into.download, from.download);
}

/** Reads and rewrites rollup rows; call inside the writer's transaction. */
export class RollupStore {
  private readonly select;
  private readonly upsert;

  constructor(db: Db) {
    this.select = db.prepare<[number, number, number], RollupRow>(
      'SELECT * FROM minute_rollups WHERE port = ? AND peer = ? AND minute_sec = ?',
    );
    this.upsert = db.prepare(
      `INSERT OR REPLACE INTO minute_rollups VALUES (@port, @peer, @minute_sec, @records, @count, @sum_total_us,
        @sum_upload_us, @sum_process_us, @sum_download_us, @sum_min_rtt_us, @sum_bytes_sent,
        @sum_bytes_received, @retrans, @packets, @fails, @closes, @closes_sending, @closes_receiving,
        @histograms_json)`,
    );
  }

  add(r: Rollup): void {
    const existing = this.select.get(r.port, r.peer ? 1 : 0, r.minuteSec);
    const merged = existing ? rollupFromRow(existing) : emptyRollup(r.port, r.peer, r.minuteSec);
    mergeRollup(merged, r);
    const histograms: HistogramsJson = {
      total: toPairs(merged.total),
      upload: toPairs(merged.upload),
      process: toPairs(merged.process),
      download: toPairs(merged.download),
    };
    this.upsert.run({
      port: merged.port,
      peer: merged.peer ? 1 : 0,
      minute_sec: merged.minuteSec,
      records: merged.records,
      count: merged.count,
      sum_total_us: merged.sumTotalUs,
      sum_upload_us: merged.sumUploadUs,
      sum_process_us: merged.sumProcessUs,
      sum_download_us: merged.sumDownloadUs,
      sum_min_rtt_us: merged.sumMinRttUs,
      sum_bytes_sent: merged.sumBytesSent,
      sum_bytes_received: merged.sumBytesReceived,
      retrans: merged.retrans,
      packets: merged.packets,
      fails: merged.fails,
      closes: merged.closes,
      closes_sending: merged.closesSending,
      closes_receiving: merged.closesReceiving,
      histograms_json: JSON.stringify(histograms),
    });
  }
}
