import {
  CLOSE_REASONS,
  countsAsLocalTask,
  countsAsPeerTask,
  namedStatsPorts,
  writeTaskPhases,
  type PortMode,
  type PRecord,
  type RRecord,
  type TcprtConfig,
  type TaskPhases,
  type TcprtRecord,
} from '@tcprt/schema';
import { BUCKET_SLOTS, bucketSlot } from './buckets';
import { closeReasonSlot } from './close-reasons';
import { PortModes, type Side } from './port-modes';

/** The four histograms of a task, in slot order: `tcprt_task_<phase>_seconds`. */
export const TASK_PHASES = ['duration', 'upload', 'process', 'download'] as const;

/** Bucket counts (not cumulative), sum and count of one histogram series. */
export class HistogramCounts {
  readonly buckets = new Float64Array(BUCKET_SLOTS);
  sumUs = 0;
  count = 0;

  observe(us: number): void {
    this.buckets[bucketSlot(us)]!++;
    this.sumUs += us;
    this.count++;
  }
}

/** One port, side and mode: the four phase histograms, and the port's counters. */
export class TaskSeries {
  readonly phases = TASK_PHASES.map(() => new HistogramCounts());
  constructor(
    readonly side: Side,
    readonly port: number,
    readonly mode: PortMode,
    /** Shared by the port's series of every mode: a task counts there without a second lookup. */
    readonly counters: PortCounters,
  ) {}
}

/** One port and side: byte, retransmit and close counters. */
export class PortCounters {
  requestBytes = 0;
  responseBytes = 0;
  retransmits = 0;
  readonly closes = new Float64Array(CLOSE_REASONS.length);
  constructor(
    readonly side: Side,
    readonly port: number,
  ) {}
}

const keyOf = (side: Side, port: number) => port * 2 + (side === 'peer' ? 1 : 0);

/**
 * Accumulates every record the agent ingests into the numbers `/metrics` exposes. The per-record
 * path is a map lookup by a numeric key and a few array increments: prom-client's own
 * `observe()` hashes its labels on every call (measured at several µs per record with seven
 * series), too much at 200k records/s, so prom-client only formats these counts at scrape time.
 */
export class TaskMetrics {
  private readonly modes = new PortModes();
  /** The series each port's records count in under the current config. */
  private readonly current = new Map<number, TaskSeries>();
  /** Every series ever counted in, kept so counts never go back when a port's mode changes. */
  private readonly allSeries = new Map<string, TaskSeries>();
  private readonly counters = new Map<number, PortCounters>();
  private readonly handshakes = new Map<number, HistogramCounts>();
  /** Reused for every task: no object per ingested record. */
  private readonly taskPhases: TaskPhases = {
    totalUs: 0,
    uploadUs: 0,
    processUs: 0,
    downloadUs: 0,
  };

  setConfig(config: TcprtConfig): void {
    this.modes.setConfig(config);
    this.current.clear();
    // Ports the config names one by one are exported from the start, at 0: `rate()` then counts
    // a port's first requests too (a series that appears with a count has no increase yet).
    const named = namedStatsPorts(config);
    for (const side of ['local', 'peer'] as const) {
      for (const port of named[side]) this.taskSeries(side, port);
    }
  }

  add(r: TcprtRecord): void {
    switch (r.type) {
      case 'R':
        if (r.handshakeUs !== undefined) this.handshake(r.local.port).observe(r.handshakeUs);
        if (countsAsLocalTask(r)) this.task('local', r.local.port, r, r.bytesReceived, r.bytesSent);
        return;
      case 'P':
        if (countsAsPeerTask(r)) this.task('peer', r.peer.port, r, r.bytesSent, r.bytesReceived);
        return;
      case 'E': {
        const slot = closeReasonSlot(r);
        if (this.modes.mode('local', r.local.port) === null && this.modes.mode('peer', r.peer.port))
          this.portCounters('peer', r.peer.port).closes[slot]!++;
        else this.portCounters('local', r.local.port).closes[slot]!++;
        return;
      }
    }
  }

  series(): IterableIterator<TaskSeries> {
    return this.allSeries.values();
  }

  portCountersAll(): IterableIterator<PortCounters> {
    return this.counters.values();
  }

  /** TLS handshake histograms by local port. */
  handshakesByPort(): IterableIterator<[number, HistogramCounts]> {
    return this.handshakes.entries();
  }

  private task(
    side: Side,
    port: number,
    r: RRecord | PRecord,
    requestBytes: number,
    responseBytes: number,
  ): void {
    const phases = this.taskPhases;
    writeTaskPhases(r, phases);
    const series = this.taskSeries(side, port);
    const [total, upload, process, download] = series.phases;
    total!.observe(phases.totalUs);
    upload!.observe(phases.uploadUs);
    process!.observe(phases.processUs);
    download!.observe(phases.downloadUs);
    const c = series.counters;
    c.requestBytes += requestBytes;
    c.responseBytes += responseBytes;
    c.retransmits += r.retrans;
  }

  private taskSeries(side: Side, port: number): TaskSeries {
    const key = keyOf(side, port);
    let s = this.current.get(key);
    if (!s) {
      const mode = this.modes.mode(side, port) ?? 'default';
      const labels = `${side}|${port}|${mode}`;
      s = this.allSeries.get(labels);
      if (!s) {
        s = new TaskSeries(side, port, mode, this.portCounters(side, port));
        this.allSeries.set(labels, s);
      }
      this.current.set(key, s);
    }
    return s;
  }

  private portCounters(side: Side, port: number): PortCounters {
    const key = keyOf(side, port);
    let c = this.counters.get(key);
    if (!c) {
      c = new PortCounters(side, port);
      this.counters.set(key, c);
    }
    return c;
  }

  private handshake(port: number): HistogramCounts {
    let h = this.handshakes.get(port);
    if (!h) {
      h = new HistogramCounts();
      this.handshakes.set(port, h);
    }
    return h;
  }
}
