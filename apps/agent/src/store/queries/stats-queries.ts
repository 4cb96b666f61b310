import {
  CLOSE_REASONS,
  type CloseReasons,
  type CloseReasonsInput,
  type DurationSummary,
  type PortService,
  type Ports,
  type StatsBucket,
  type StatsSeries,
  type StatsSeriesInput,
} from '@tcprt/schema';
import type { Db } from '../database';
import { percentiles, type Histogram } from '../histogram';
import {
  addRow,
  emptyRollup,
  ROLLUP_WIDTHS_SEC,
  closeReasonColumn,
  noCloseReasons,
  type Rollup,
  type RollupRow,
  type RollupWidthSec,
} from '../rollups';

type CloseRow = Pick<
  RollupRow,
  | 'port'
  | 'start_sec'
  | 'closes'
  | 'closes_sending'
  | 'closes_receiving'
  | ReturnType<typeof closeReasonColumn>
>;

/** The widest stored rollup that divides the bucket width (buckets are whole minutes, so 60 always does). */
function rollupWidthFor(bucketSec: number): RollupWidthSec {
  return [...ROLLUP_WIDTHS_SEC].reverse().find((w) => bucketSec % w === 0) ?? 60;
}

function bucketStarts(fromMs: number, toMs: number, bucketSec: number): number[] {
  const widthMs = bucketSec * 1000;
  const starts: number[] = [];
  for (let t = Math.floor(fromMs / widthMs) * widthMs; t < toMs; t += widthMs) starts.push(t);
  return starts;
}

const PERCENTILES = [0.5, 0.9, 0.99] as const;

function summary(h: Histogram, sumUs: number, count: number): DurationSummary {
  const [p50Us = 0, p90Us = 0, p99Us = 0] = percentiles(h, PERCENTILES);
  return { avgUs: count ? Math.floor(sumUs / count) : 0, p50Us, p90Us, p99Us };
}

const EMPTY_SUMMARY: DurationSummary = { avgUs: 0, p50Us: 0, p90Us: 0, p99Us: 0 };

function emptyBucket(startMs: number): StatsBucket {
  return {
    startMs,
    count: 0,
    total: EMPTY_SUMMARY,
    upload: EMPTY_SUMMARY,
    process: EMPTY_SUMMARY,
    download: EMPTY_SUMMARY,
    retransPermille: 0,
    failPermille: 0,
    avgMinRttUs: 0,
    avgBytesSent: 0,
    avgBytesReceived: 0,
    downloadLimits: null,
  };
}

function downloadLimitsOf(r: Rollup): StatsBucket['downloadLimits'] {
  const spanUs = r.sumReceiverLimitedUs + r.sumNetworkLimitedUs + r.sumApplicationLimitedUs;
  if (spanUs === 0) return null;
  return {
    receiverShare: r.sumReceiverLimitedUs / spanUs,
    networkShare: r.sumNetworkLimitedUs / spanUs,
    applicationShare: r.sumApplicationLimitedUs / spanUs,
  };
}

/** Averages and permilles with SPEC §3's truncating integer division; zero when nothing counted. */
function bucketOf(startMs: number, r: Rollup): StatsBucket {
  const avg = (sum: number) => (r.count ? Math.floor(sum / r.count) : 0);
  const [total, upload, process, download] = r.histograms;
  return {
    startMs,
    count: r.count,
    total: summary(total, r.sumTotalUs, r.count),
    upload: summary(upload, r.sumUploadUs, r.count),
    process: summary(process, r.sumProcessUs, r.count),
    download: summary(download, r.sumDownloadUs, r.count),
    retransPermille: r.packets ? Math.floor((1000 * r.retrans) / r.packets) : 0,
    failPermille: r.count ? Math.floor((1000 * r.fails) / r.count) : 0,
    avgMinRttUs: avg(r.sumMinRttUs),
    avgBytesSent: avg(r.sumBytesSent),
    avgBytesReceived: avg(r.sumBytesReceived),
    downloadLimits: downloadLimitsOf(r),
  };
}

/** The service on a port as of a window's end (port-services/). */
export type PortServiceLookup = (port: number, peer: boolean, toMs: number) => PortService | null;

/** Per-port time series and close reasons, read from the minute and hour rollups. */
export class StatsQueries {
  private readonly portRollups;
  private readonly allLocalCloses;
  private readonly portLocalCloses;
  private readonly busiest;

  constructor(
    db: Db,
    private readonly serviceOf: PortServiceLookup,
  ) {
    this.portRollups = db.prepare<[number, number, number, number, number], RollupRow>(
      'SELECT * FROM rollups WHERE width_sec = ? AND port = ? AND peer = ? AND start_sec >= ? AND start_sec < ?',
    );
    const closeColumns = [
      'port, start_sec, closes, closes_sending, closes_receiving',
      ...CLOSE_REASONS.map(closeReasonColumn),
    ].join(', ');
    this.allLocalCloses = db.prepare<[number, number, number], CloseRow>(
      `SELECT ${closeColumns} FROM rollups WHERE width_sec = ? AND start_sec >= ? AND start_sec < ? AND peer = 0 AND closes > 0`,
    );
    this.portLocalCloses = db.prepare<[number, number, number, number], CloseRow>(
      `SELECT ${closeColumns} FROM rollups WHERE width_sec = ? AND port = ? AND peer = 0 AND start_sec >= ? AND start_sec < ? AND closes > 0`,
    );
    this.busiest = db.prepare<
      [number, number, number],
      { port: number; peer: number; records: number }
    >(
      `SELECT port, peer, sum(records) AS records FROM rollups WHERE width_sec = ? AND start_sec >= ? AND start_sec < ?
       GROUP BY port, peer ORDER BY records DESC LIMIT 200`,
    );
  }

  series(input: StatsSeriesInput): StatsSeries {
    const widthMs = input.bucketSec * 1000;
    const peer = input.side === 'peer';
    const starts = bucketStarts(input.fromMs, input.toMs, input.bucketSec);
    const firstMs = starts[0] ?? 0;
    const lastMs = starts.at(-1) ?? -1;
    // Accumulators only for buckets that have rows: a long series is mostly about a few busy spans.
    const byStart = new Map<number, Rollup>();
    const rows = this.portRollups.iterate(
      rollupWidthFor(input.bucketSec),
      input.port,
      peer ? 1 : 0,
      Math.floor((starts[0] ?? input.fromMs) / 1000),
      Math.ceil(input.toMs / 1000),
    );
    for (const row of rows) {
      const startMs = Math.floor((row.start_sec * 1000) / widthMs) * widthMs;
      if (startMs < firstMs || startMs > lastMs) continue;
      let bucket = byStart.get(startMs);
      if (!bucket) {
        bucket = emptyRollup(input.port, peer, startMs / 1000);
        byStart.set(startMs, bucket);
      }
      addRow(bucket, row);
    }
    return {
      port: input.port,
      peer,
      bucketSec: input.bucketSec,
      buckets: starts.map((s) => {
        const bucket = byStart.get(s);
        return bucket ? bucketOf(s, bucket) : emptyBucket(s);
      }),
    };
  }

  closeReasons(input: CloseReasonsInput): CloseReasons {
    const widthMs = input.bucketSec * 1000;
    const rollupWidth = rollupWidthFor(input.bucketSec);
    const fromSec = Math.floor(input.fromMs / widthMs) * input.bucketSec;
    const toSec = Math.ceil(input.toMs / 1000);
    const rows =
      input.port === undefined
        ? this.allLocalCloses.all(rollupWidth, fromSec, toSec)
        : this.portLocalCloses.all(rollupWidth, input.port, fromSec, toSec);
    const buckets = new Map<string, CloseReasons['buckets'][number]>();
    for (const row of rows) {
      const startMs = Math.floor((row.start_sec * 1000) / widthMs) * widthMs;
      const key = `${row.port}|${startMs}`;
      let b = buckets.get(key);
      if (!b) {
        b = {
          startMs,
          port: row.port,
          normal: 0,
          whileSending: 0,
          whileReceiving: 0,
          reasons: noCloseReasons(),
        };
        buckets.set(key, b);
      }
      // Every W or N is followed by its connection's E, so the normal ends are the remaining E records.
      b.normal += Math.max(0, row.closes - row.closes_sending - row.closes_receiving);
      b.whileSending += row.closes_sending;
      b.whileReceiving += row.closes_receiving;
      for (const reason of CLOSE_REASONS) b.reasons[reason] += row[closeReasonColumn(reason)];
    }
    const sorted = [...buckets.values()].sort((a, b) => a.startMs - b.startMs || a.port - b.port);
    return { bucketSec: input.bucketSec, buckets: sorted };
  }

  /** Hourly rollups answer for whole hours; the partial hours at both ends are read per minute. */
  ports(fromMs: number, toMs: number): Ports {
    const fromSec = Math.floor(fromMs / 60_000) * 60;
    const toSec = Math.ceil(toMs / 1000);
    const firstHour = Math.ceil(fromSec / 3600) * 3600;
    const lastHour = Math.max(firstHour, Math.floor(toSec / 3600) * 3600);
    const totals = new Map<string, Omit<Ports['ports'][number], 'service'>>();
    const spans: [RollupWidthSec, number, number][] =
      firstHour < lastHour
        ? [
            [60, fromSec, firstHour],
            [3600, firstHour, lastHour],
            [60, lastHour, toSec],
          ]
        : [[60, fromSec, toSec]];
    for (const [width, from, to] of spans) {
      for (const r of this.busiest.all(width, from, to)) {
        const key = `${r.port}|${r.peer}`;
        const entry = totals.get(key) ?? { port: r.port, peer: r.peer === 1, records: 0 };
        entry.records += r.records;
        totals.set(key, entry);
      }
    }
    const ports = [...totals.values()].sort((a, b) => b.records - a.records || a.port - b.port);
    return { ports: ports.map((p) => ({ ...p, service: this.serviceOf(p.port, p.peer, toMs) })) };
  }
}
