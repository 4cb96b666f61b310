import type { CloseReasons, CloseReasonsInput, DurationSummary, Ports, StatsBucket, StatsSeries, StatsSeriesInput } from '@tcprt/schema';
import type { Db } from './database';
import { percentile, type Histogram } from './histogram';
import { emptyRollup, mergeRollup, rollupFromRow, type Rollup } from './minute-rollups';

type RollupRow = Parameters<typeof rollupFromRow>[0];
type CloseRow = Pick<RollupRow, 'port' | 'minute_sec' | 'closes' | 'closes_sending' | 'closes_receiving'>;

function bucketStarts(fromMs: number, toMs: number, bucketSec: number): number[] {
  const widthMs = bucketSec * 1000;
  const starts: number[] = [];
  for (let t = Math.floor(fromMs / widthMs) * widthMs; t < toMs; t += widthMs) starts.push(t);
  return starts;
}

function summary(h: Histogram, sumUs: number, count: number): DurationSummary {
  return {
    avgUs: count ? Math.floor(sumUs / count) : 0,
    p50Us: percentile(h, 0.5),
    p90Us: percentile(h, 0.9),
    p99Us: percentile(h, 0.99),
  };
}

/** Averages and permilles with SPEC §3's truncating integer division; zero when nothing counted. */
function bucketOf(startMs: number, r: Rollup): StatsBucket {
  const avg = (sum: number) => (r.count ? Math.floor(sum / r.count) : 0);
  return {
    startMs,
    count: r.count,
    total: summary(r.total, r.sumTotalUs, r.count),
    upload: summary(r.upload, r.sumUploadUs, r.count),
    process: summary(r.process, r.sumProcessUs, r.count),
    download: summary(r.download, r.sumDownloadUs, r.count),
    retransPermille: r.packets ? Math.floor((1000 * r.retrans) / r.packets) : 0,
    failPermille: r.count ? Math.floor((1000 * r.fails) / r.count) : 0,
    avgMinRttUs: avg(r.sumMinRttUs),
    avgBytesSent: avg(r.sumBytesSent),
    avgBytesReceived: avg(r.sumBytesReceived),
  };
}

/** Per-port time series and close reasons, read from the per-minute rollups. */
export class StatsQueries {
  private readonly portRollups;
  private readonly allLocalRollups;
  private readonly portLocalRollups;
  private readonly busiest;

  constructor(db: Db) {
    this.portRollups = db.prepare<[number, number, number, number], RollupRow>(
      'SELECT * FROM minute_rollups WHERE port = ? AND peer = ? AND minute_sec >= ? AND minute_sec < ?',
    );
    this.allLocalRollups = db.prepare<[number, number], CloseRow>(
      `SELECT port, minute_sec, closes, closes_sending, closes_receiving FROM minute_rollups
       WHERE minute_sec >= ? AND minute_sec < ? AND peer = 0 AND closes > 0`,
    );
    this.portLocalRollups = db.prepare<[number, number, number], CloseRow>(
      `SELECT port, minute_sec, closes, closes_sending, closes_receiving FROM minute_rollups
       WHERE port = ? AND peer = 0 AND minute_sec >= ? AND minute_sec < ? AND closes > 0`,
    );
    this.busiest = db.prepare<[number, number], { port: number; peer: number; records: number }>(
      `SELECT port, peer, sum(records) AS records
       FROM minute_rollups WHERE minute_sec >= ? AND minute_sec < ?
       GROUP BY port, peer ORDER BY records DESC LIMIT 200`,
    );
  }

  series(input: StatsSeriesInput): StatsSeries {
    const widthMs = input.bucketSec * 1000;
    const peer = input.side === 'peer';
    const starts = bucketStarts(input.fromMs, input.toMs, input.bucketSec);
    const byStart = new Map(starts.map((s) => [s, emptyRollup(input.port, peer, s / 1000)]));
    const rows = this.portRollups.all(
      input.port,
      peer ? 1 : 0,
      Math.floor((starts[0] ?? input.fromMs) / 1000),
      Math.ceil(input.toMs / 1000),
    );
    for (const row of rows) {
      const bucket = byStart.get(Math.floor((row.minute_sec * 1000) / widthMs) * widthMs);
      if (bucket) mergeRollup(bucket, rollupFromRow(row));
    }
    return {
      port: input.port,
      peer,
      bucketSec: input.bucketSec,
      buckets: starts.map((s) => bucketOf(s, byStart.get(s) ?? emptyRollup(input.port, peer, s / 1000))),
    };
  }

  closeReasons(input: CloseReasonsInput): CloseReasons {
    const widthMs = input.bucketSec * 1000;
    const fromSec = Math.floor(Math.floor(input.fromMs / widthMs) * widthMs / 1000);
    const toSec = Math.ceil(input.toMs / 1000);
    const rows =
      input.port === undefined
        ? this.allLocalRollups.all(fromSec, toSec)
        : this.portLocalRollups.all(input.port, fromSec, toSec);
    const buckets = new Map<string, CloseReasons['buckets'][number]>();
    for (const row of rows) {
      const startMs = Math.floor((row.minute_sec * 1000) / widthMs) * widthMs;
      const key = `${row.port}|${startMs}`;
      let b = buckets.get(key);
      if (!b) {
        b = { startMs, port: row.port, normal: 0, whileSending: 0, whileReceiving: 0 };
        buckets.set(key, b);
      }
      // Every W or N is followed by its connection's E, so the normal ends are the remaining E records.
      b.normal += Math.max(0, row.closes - row.closes_sending - row.closes_receiving);
      b.whileSending += row.closes_sending;
      b.whileReceiving += row.closes_receiving;
    }
    const sorted = [...buckets.values()].sort((a, b) => a.startMs - b.startMs || a.port - b.port);
    return { bucketSec: input.bucketSec, buckets: sorted };
  }

  ports(fromMs: number, toMs: number): Ports {
    const rows = this.busiest.all(Math.floor(fromMs / 60_000) * 60, Math.ceil(toMs / 1000));
    return { ports: rows.map((r) => ({ port: r.port, peer: r.peer === 1, records: r.records })) };
  }
}
