import {
  CLOSE_REASONS,
  closeReason,
  countsAsLocalTask,
  downloadLimits,
  countsAsPeerTask,
  isFailedClose,
  writeTaskPhases,
  type CloseReason,
  type DownloadChrono,
  type TaskPhases,
  type TcprtRecord,
} from '@tcprt/schema';
import type { Db } from './database';
import {
  addEncodedHistograms,
  encodeHistograms,
  maxEncodedHistogramBytes,
  newHistogram,
  record as recordInto,
  type Histogram,
} from './histogram';

/**
 * Rollups are kept per 10 seconds, per minute, per 5 minutes and per hour: a chart reads the
 * widest rollup that divides its bucket width, so a day in 5-minute buckets reads 288 rows, not
 * 8640, while a burst of a few seconds still stands out in a 15-minute view at 10 s resolution.
 */
export const ROLLUP_WIDTHS_SEC = [10, 60, 300, 3600] as const;
export type RollupWidthSec = (typeof ROLLUP_WIDTHS_SEC)[number];
/** The finest tier: what the writer accumulates between flushes. */
export const FINEST_ROLLUP_SEC = ROLLUP_WIDTHS_SEC[0];
/**
 * The 10 s tier is for zooming into recent incidents: it is kept for a day (8640 rows per port),
 * the coarser tiers as long as the records' retention.
 */
export const FINEST_ROLLUP_KEEP_SEC = 86_400;

const SUM_KEYS = [
  'records',
  'count',
  'sumTotalUs',
  'sumUploadUs',
  'sumProcessUs',
  'sumDownloadUs',
  'sumMinRttUs',
  'sumBytesSent',
  'sumBytesReceived',
  'retrans',
  'packets',
  'fails',
  'closes',
  'closesSending',
  'closesReceiving',
  'sumReceiverLimitedUs',
  'sumNetworkLimitedUs',
  'sumApplicationLimitedUs',
] as const;
const SUM_COLUMNS = [
  'records',
  'count',
  'sum_total_us',
  'sum_upload_us',
  'sum_process_us',
  'sum_download_us',
  'sum_min_rtt_us',
  'sum_bytes_sent',
  'sum_bytes_received',
  'retrans',
  'packets',
  'fails',
  'closes',
  'closes_sending',
  'closes_receiving',
  'sum_receiver_limited_us',
  'sum_network_limited_us',
  'sum_application_limited_us',
] as const;

/** The rollups column counting the connections closed for `reason`. */
export const closeReasonColumn = (reason: CloseReason) => `closes_${reason}` as const;
const CLOSE_REASON_COLUMNS = CLOSE_REASONS.map(closeReasonColumn);
type CloseReasonColumn = ReturnType<typeof closeReasonColumn>;

export const noCloseReasons = (): Record<CloseReason, number> =>
  Object.fromEntries(CLOSE_REASONS.map((reason) => [reason, 0])) as Record<CloseReason, number>;

/** One port's totals over a time span: sums for averages and permilles, histograms for percentiles. */
export interface Rollup {
  port: number;
  peer: boolean;
  startSec: number;
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
  /** Download time of counted tasks with chronographs, by what held it back (download-limits.ts). */
  sumReceiverLimitedUs: number;
  sumNetworkLimitedUs: number;
  sumApplicationLimitedUs: number;
  /** Connections closed (E records with a close detail) per close reason. */
  closeReasons: Record<CloseReason, number>;
  /** total, upload, process, download — the order they are stored in. */
  histograms: [Histogram, Histogram, Histogram, Histogram];
}

const newHistograms = (): Rollup['histograms'] => [
  newHistogram(),
  newHistogram(),
  newHistogram(),
  newHistogram(),
];

export function emptyRollup(
  port: number,
  peer: boolean,
  startSec: number,
  histograms: Rollup['histograms'] = newHistograms(),
): Rollup {
  return {
    port,
    peer,
    startSec,
    records: 0,
    count: 0,
    sumTotalUs: 0,
    sumUploadUs: 0,
    sumProcessUs: 0,
    sumDownloadUs: 0,
    sumMinRttUs: 0,
    sumBytesSent: 0,
    sumBytesReceived: 0,
    retrans: 0,
    packets: 0,
    fails: 0,
    closes: 0,
    closesSending: 0,
    closesReceiving: 0,
    sumReceiverLimitedUs: 0,
    sumNetworkLimitedUs: 0,
    sumApplicationLimitedUs: 0,
    closeReasons: noCloseReasons(),
    histograms,
  };
}

/** Makes `r` an empty rollup of the given port, side and start, keeping its objects. */
function clearRollup(r: Rollup, port: number, peer: boolean, startSec: number): void {
  r.port = port;
  r.peer = peer;
  r.startSec = startSec;
  for (const k of SUM_KEYS) r[k] = 0;
  for (const reason of CLOSE_REASONS) r.closeReasons[reason] = 0;
  for (const h of r.histograms) h.fill(0);
}

/** Adds one counted task (SPEC §3), split into its phases. */
function addTask(
  r: Rollup,
  { totalUs, uploadUs, processUs, downloadUs }: TaskPhases,
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
  const [total, upload, process, download] = r.histograms;
  recordInto(total, totalUs);
  recordInto(upload, uploadUs);
  recordInto(process, processUs);
  recordInto(download, downloadUs);
}

/** Adds a download's time split by what held it back (its shares of the longer of download and busy time). */
function addDownloadLimits(
  r: Rollup,
  downloadUs: number,
  bytesSent: number,
  chrono: DownloadChrono,
): void {
  const limits = downloadLimits(downloadUs, bytesSent, chrono);
  if (!limits) return;
  const spanUs = Math.max(downloadUs, chrono.busyUs);
  r.sumReceiverLimitedUs += Math.round(limits.receiverShare * spanUs);
  r.sumNetworkLimitedUs += Math.round(limits.networkShare * spanUs);
  r.sumApplicationLimitedUs += Math.round(limits.applicationShare * spanUs);
}

/**
 * Histogram sets kept for reuse by a RollupBuffer: a set is four dense arrays (25 KiB), and a
 * new set per port per batch (40 batches a second) made tens of MiB of array buffers wait for
 * the main thread's next full garbage collection.
 */
const SPARE_HISTOGRAM_SETS = 64;

/** Accumulates records into per-port rollups of the finest tier between flushes. */
export class RollupBuffer {
  /** Keyed by (start, port, peer) packed into one number: a string key per record costs at ingest rates. */
  private readonly pending = new Map<number, Rollup>();
  private readonly spareHistograms: Rollup['histograms'][] = [];
  /** The phases of the record being added, reused: no object per record. */
  private readonly phases: TaskPhases = { totalUs: 0, uploadUs: 0, processUs: 0, downloadUs: 0 };

  add(rec: TcprtRecord, connectionIsPeer: boolean): void {
    const startSec = rec.startSec - (rec.startSec % FINEST_ROLLUP_SEC);
    const peer = rec.type === 'P' || (rec.type === 'E' && connectionIsPeer);
    const port = peer ? rec.peer.port : rec.local.port;
    const key = (startSec * 65536 + port) * 2 + (peer ? 1 : 0);
    let r = this.pending.get(key);
    if (!r) {
      r = emptyRollup(port, peer, startSec, this.spareHistograms.pop());
      this.pending.set(key, r);
    }
    r.records++;
    // Tasks counted as the stats lines count them.
    if ((countsAsLocalTask(rec) || countsAsPeerTask(rec)) && writeTaskPhases(rec, this.phases)) {
      addTask(r, this.phases, rec);
      if (rec.type === 'R' && rec.download)
        addDownloadLimits(r, this.phases.downloadUs, rec.bytesSent, rec.download);
    } else if (rec.type === 'W') r.closesSending++;
    else if (rec.type === 'N') r.closesReceiving++;
    else if (rec.type === 'E') {
      r.closes++;
      if (rec.close) r.closeReasons[closeReason(rec.close)]++;
    }
    if (isFailedClose(rec)) r.fails++;
  }

  drain(): Rollup[] {
    const out = [...this.pending.values()];
    this.pending.clear();
    return out;
  }

  /** Takes back drained rollups no one reads any more (e.g. once copied to the writer thread). */
  recycle(rollups: readonly Rollup[]): void {
    for (const r of rollups) {
      if (this.spareHistograms.length >= SPARE_HISTOGRAM_SETS) return;
      for (const h of r.histograms) h.fill(0);
      this.spareHistograms.push(r.histograms);
    }
  }
}

/** A row of the `rollups` table as selected by the readers below. */
export type RollupRow = Record<(typeof SUM_COLUMNS)[number] | CloseReasonColumn, number> & {
  port: number;
  peer: 0 | 1;
  start_sec: number;
  histograms: Uint8Array;
};

/** Adds a stored row into an accumulating rollup (no allocation: queries merge thousands of rows). */
export function addRow(into: Rollup, row: RollupRow): void {
  for (let i = 0; i < SUM_KEYS.length; i++) into[SUM_KEYS[i]!] += row[SUM_COLUMNS[i]!];
  for (const reason of CLOSE_REASONS) into.closeReasons[reason] += row[closeReasonColumn(reason)];
  addEncodedHistograms(into.histograms, row.histograms);
}

function addRollup(into: Rollup, from: Rollup): void {
  for (const k of SUM_KEYS) into[k] += from[k];
  for (const reason of CLOSE_REASONS) into.closeReasons[reason] += from.closeReasons[reason];
  for (let h = 0; h < into.histograms.length; h++) {
    const target = into.histograms[h]!;
    const source = from.histograms[h]!;
    for (let bin = 0; bin < source.length; bin++) if (source[bin]) target[bin]! += source[bin]!;
  }
}

/** Reads and rewrites rollup rows; call inside the writer's transaction. */
export class RollupStore {
  private readonly select;
  private readonly upsert;
  /** Reused for every stored rollup: the writer merges four per port per batch. */
  private readonly merged = emptyRollup(0, false, 0);
  private readonly encoded = Buffer.alloc(maxEncodedHistogramBytes(this.merged.histograms.length));

  constructor(db: Db) {
    this.select = db.prepare<[number, number, number, number], RollupRow>(
      'SELECT * FROM rollups WHERE width_sec = ? AND port = ? AND peer = ? AND start_sec = ?',
    );
    this.upsert = db.prepare(
      `INSERT OR REPLACE INTO rollups (width_sec, port, peer, start_sec, ${SUM_COLUMNS.join(', ')},
         ${CLOSE_REASON_COLUMNS.join(', ')}, histograms)
       VALUES (${Array.from({ length: SUM_COLUMNS.length + CLOSE_REASON_COLUMNS.length + 5 }, () => '?').join(', ')})`,
    );
  }

  /** Adds a finest-tier rollup into each stored rollup (10 s, minute, 5 minutes, hour) it belongs to. */
  add(finest: Rollup): void {
    for (const widthSec of ROLLUP_WIDTHS_SEC) {
      const startSec = finest.startSec - (finest.startSec % widthSec);
      const peer = finest.peer ? 1 : 0;
      const merged = this.merged;
      clearRollup(merged, finest.port, finest.peer, startSec);
      const existing = this.select.get(widthSec, finest.port, peer, startSec);
      if (existing) addRow(merged, existing);
      addRollup(merged, finest);
      this.upsert.run(
        widthSec,
        finest.port,
        peer,
        startSec,
        ...SUM_KEYS.map((k) => merged[k]),
        ...CLOSE_REASONS.map((reason) => merged.closeReasons[reason]),
        encodeHistograms(merged.histograms, this.encoded),
      );
    }
  }
}
