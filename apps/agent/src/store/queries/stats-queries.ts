import {
  CLOSE_REASONS,
  type CloseReasons,
  type CloseReasonsInput,
  type DurationSummary,
  type LatencyDistribution,
  type PortService,
  type Ports,
  type StatsBucket,
  type StatsHeatmap,
  type StatsHeatmapInput,
  type StatsSeries,
  type StatsSeriesInput,
  type StatsWindow,
  type StatsWindowInput,
} from '@tcprt/schema';
import type { Db } from '../database';
import {
  addCoarse,
  COARSE_BIN_COUNT,
  COARSE_BIN_OF,
  coarseBinBounds,
  percentiles,
  type Histogram,
} from '../histogram';
import {
  addRow,
  emptyRollup,
  FINEST_ROLLUP_KEEP_SEC,
  FINEST_ROLLUP_SEC,
  ROLLUP_WIDTHS_SEC,
  closeReasonColumn,
  noCloseReasons,
  type Rollup,
  type RollupRow,
  type RollupWidthSec,
} from '../rollups';

/** Histograms in the order a rollup stores them. */
const PHASE_INDEX = { total: 0, upload: 1, process: 2, download: 3 } as const;

/** Rollup rows a window summary reads at most: the finest tier that stays under it answers. */
const WINDOW_MAX_ROWS = 2000;

type CloseRow = Pick<
  RollupRow,
  | 'port'
  | 'start_sec'
  | 'closes'
  | 'closes_sending'
  | 'closes_receiving'
  | ReturnType<typeof closeReasonColumn>
>;

/** The widest stored rollup that divides the bucket width (buckets are multiples of 10 s, so 10 always does). */
function rollupWidthFor(bucketSec: number): RollupWidthSec {
  return [...ROLLUP_WIDTHS_SEC].reverse().find((w) => bucketSec % w === 0) ?? FINEST_ROLLUP_SEC;
}

/** The finest tier still stored for the window whose rows stay under WINDOW_MAX_ROWS. */
function windowWidthFor(fromMs: number, toMs: number, nowMs: number): RollupWidthSec {
  const spanSec = (toMs - fromMs) / 1000;
  const finestKeptFromMs = nowMs - FINEST_ROLLUP_KEEP_SEC * 1000;
  for (const width of ROLLUP_WIDTHS_SEC) {
    if (width === FINEST_ROLLUP_SEC && fromMs < finestKeptFromMs) continue;
    if (spanSec / width <= WINDOW_MAX_ROWS) return width;
  }
  return ROLLUP_WIDTHS_SEC[ROLLUP_WIDTHS_SEC.length - 1]!;
}

/** The coarse bins from the first to the last non-empty one. */
function distributionOf(h: Histogram): LatencyDistribution {
  const coarse = new Float64Array(COARSE_BIN_COUNT);
  addCoarse(coarse, h);
  const first = coarse.findIndex((c) => c > 0);
  if (first < 0) return { bins: [], counts: [] };
  let last = coarse.length - 1;
  while (coarse[last] === 0) last--;
  const bins = [];
  const counts = [];
  for (let i = first; i <= last; i++) {
    bins.push(coarseBinBounds(i));
    counts.push(coarse[i]!);
  }
  return { bins, counts };
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

/** Per-port time series, window figures, heatmaps and close reasons, read from the rollup tiers. */
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

  /**
   * A port's rollups summed into buckets of `bucketSec` over [fromMs, toMs). Accumulators only for
   * buckets that have rows: a long series is mostly about a few busy spans.
   */
  private buckets(
    input: { port: number; side: 'local' | 'peer'; fromMs: number; toMs: number },
    bucketSec: number,
    rollupWidth: RollupWidthSec,
  ): { starts: number[]; byStart: Map<number, Rollup> } {
    const widthMs = bucketSec * 1000;
    const peer = input.side === 'peer';
    const starts = bucketStarts(input.fromMs, input.toMs, bucketSec);
    const firstMs = starts[0] ?? 0;
    const lastMs = starts.at(-1) ?? -1;
    const byStart = new Map<number, Rollup>();
    const rows = this.portRollups.iterate(
      rollupWidth,
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
    return { starts, byStart };
  }

  series(input: StatsSeriesInput): StatsSeries {
    const peer = input.side === 'peer';
    const { starts, byStart } = this.buckets(
      input,
      input.bucketSec,
      rollupWidthFor(input.bucketSec),
    );
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

  /** One port's exact-window figures: every rollup row of the window merged into one. */
  window(input: StatsWindowInput, nowMs: number = Date.now()): StatsWindow {
    const width = windowWidthFor(input.fromMs, input.toMs, nowMs);
    const widthMs = width * 1000;
    const fromMs = Math.floor(input.fromMs / widthMs) * widthMs;
    const toMs = Math.max(fromMs + widthMs, Math.ceil(input.toMs / widthMs) * widthMs);
    const peer = input.side === 'peer';
    const r = emptyRollup(input.port, peer, fromMs / 1000);
    let rowsWithRecords = 0;
    for (const row of this.portRollups.iterate(
      width,
      input.port,
      peer ? 1 : 0,
      fromMs / 1000,
      toMs / 1000,
    )) {
      addRow(r, row);
      if (row.records > 0) rowsWithRecords++;
    }
    const b = bucketOf(fromMs, r);
    const activeSec = rowsWithRecords * width;
    const [total, upload, process, download] = r.histograms;
    return {
      port: input.port,
      peer,
      fromMs,
      toMs,
      resolutionSec: width,
      count: r.count,
      activeSec,
      tasksPerSec: activeSec ? r.count / activeSec : 0,
      total: b.total,
      upload: b.upload,
      process: b.process,
      download: b.download,
      retransPermille: b.retransPermille,
      failPermille: b.failPermille,
      avgMinRttUs: b.avgMinRttUs,
      closes: r.closes,
      closesSending: r.closesSending,
      closesReceiving: r.closesReceiving,
      distributions: {
        total: distributionOf(total),
        upload: distributionOf(upload),
        process: distributionOf(process),
        download: distributionOf(download),
      },
    };
  }

  /** Time × latency counts of one duration, in the coarse bins of histogram.ts. */
  heatmap(input: StatsHeatmapInput): StatsHeatmap {
    const { starts, byStart } = this.buckets(
      input,
      input.bucketSec,
      rollupWidthFor(input.bucketSec),
    );
    const phase = PHASE_INDEX[input.phase];
    const raw: [number, number, number][] = [];
    let lowest = COARSE_BIN_COUNT;
    let highest = -1;
    starts.forEach((startMs, bucketIndex) => {
      const h = byStart.get(startMs)?.histograms[phase];
      if (!h) return;
      const coarse = new Map<number, number>();
      for (let bin = 0; bin < h.length; bin++) {
        if (!h[bin]) continue;
        const c = COARSE_BIN_OF[bin]!;
        coarse.set(c, (coarse.get(c) ?? 0) + h[bin]!);
      }
      for (const [c, count] of coarse) {
        raw.push([bucketIndex, c, count]);
        lowest = Math.min(lowest, c);
        highest = Math.max(highest, c);
      }
    });
    const bins = [];
    for (let c = lowest; c <= highest; c++) bins.push(coarseBinBounds(c));
    return {
      port: input.port,
      peer: input.side === 'peer',
      phase: input.phase,
      bucketSec: input.bucketSec,
      bucketStartsMs: starts,
      bins,
      cells: raw.map(([bucket, c, count]) => [bucket, c - lowest, count]),
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
