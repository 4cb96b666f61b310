import type { TcprtRecord } from './records';
import type { StatsLine } from './stats-line';
import { countsAsLocalTask, countsAsPeerTask, isFailedClose } from './task-phases';

/*
 * Per-port stats of SPEC §3, computed from records.
 *
 * Reading of SPEC §3 used here (it does not say more):
 * - Local side: only R records with bytesSent > 0 are counted and averaged. A W record never
 *   adds to `count` or to the averages; a failed close (a W past FAIL_MIN_ELAPSED_US) only adds
 *   to the fail counter of its local port, and fail‰ = 1000 × fails / count. So with count = 0
 *   the line is all zero even when fails happened, and fail‰ may exceed 1000 when fails
 *   outnumber counted R records. The rules themselves are task-phases.ts's predicates.
 * - Peer side: every P record counts, keyed by its remote port; P records never fail.
 * - N and E records do not affect stats.
 * - packets += floor(bytesSent / mss) + 1 per counted record; an mss of 0 counts as one packet.
 * - min RTT is averaged as recorded (4294967295 = no sample is not filtered out).
 * Output order: local ports ascending, then peer ports ascending.
 */

/** Ports named one by one in the config: they print every interval, even all-zero. */
export interface NamedStatsPorts {
  local: readonly number[];
  peer: readonly number[];
}

interface PortTotals {
  count: number;
  totalUs: number;
  processUs: number;
  retrans: number;
  packets: number;
  minRttUs: number;
  fails: number;
  bytesSent: number;
  uploadUs: number;
  bytesReceived: number;
}

function emptyTotals(): PortTotals {
  return {
    count: 0,
    totalUs: 0,
    processUs: 0,
    retrans: 0,
    packets: 0,
    minRttUs: 0,
    fails: 0,
    bytesSent: 0,
    uploadUs: 0,
    bytesReceived: 0,
  };
}

/**
 * A port's key in the totals map. A number, not a string: the agent adds every record it
 * ingests, and building a string key per record was a visible share of its CPU.
 */
function portKey(peer: boolean, port: number): number {
  return port * 2 + (peer ? 1 : 0);
}

export class StatsAccumulator {
  private readonly totals = new Map<number, { peer: boolean; port: number; totals: PortTotals }>();

  constructor(private readonly namedPorts: NamedStatsPorts) {}

  add(record: TcprtRecord): void {
    if (countsAsLocalTask(record)) {
      this.count(
        false,
        record.local.port,
        record.totalUs,
        record.processUs,
        record.uploadUs,
        record,
      );
    } else if (countsAsPeerTask(record)) {
      // SPEC §3's P line: the service time in the process column, the receive time in upload's.
      this.count(
        true,
        record.peer.port,
        record.totalUs,
        record.serviceUs,
        record.receiveUs,
        record,
      );
    } else if (isFailedClose(record)) {
      this.totalsFor(false, record.local.port).fails += 1;
    }
  }

  /** The stats lines of the interval that ends now, then starts a new interval. */
  flush(timeSec: number): StatsLine[] {
    for (const port of this.namedPorts.local) this.totalsFor(false, port);
    for (const port of this.namedPorts.peer) this.totalsFor(true, port);
    const lines = [...this.totals.values()]
      .sort((a, b) => Number(a.peer) - Number(b.peer) || a.port - b.port)
      .map(({ peer, port, totals }) => statsLineOf(timeSec, peer, port, totals));
    this.totals.clear();
    return lines;
  }

  /**
   * Adds one counted task. The process and upload columns come as arguments (a P record's are
   * its service and receive times) rather than in a copy of the record with those two renamed:
   * that copy was made for every counted record.
   */
  private count(
    peer: boolean,
    port: number,
    totalUs: number,
    processUs: number,
    uploadUs: number,
    task: {
      retrans: number;
      minRttUs: number;
      bytesSent: number;
      mss: number;
      bytesReceived: number;
    },
  ): void {
    const totals = this.totalsFor(peer, port);
    totals.count += 1;
    totals.totalUs += totalUs;
    totals.processUs += processUs;
    totals.retrans += task.retrans;
    totals.packets += (task.mss > 0 ? Math.floor(task.bytesSent / task.mss) : 0) + 1;
    totals.minRttUs += task.minRttUs;
    totals.bytesSent += task.bytesSent;
    totals.uploadUs += uploadUs;
    totals.bytesReceived += task.bytesReceived;
  }

  private totalsFor(peer: boolean, port: number): PortTotals {
    const key = portKey(peer, port);
    let entry = this.totals.get(key);
    if (!entry) {
      entry = { peer, port, totals: emptyTotals() };
      this.totals.set(key, entry);
    }
    return entry.totals;
  }
}

function statsLineOf(timeSec: number, peer: boolean, port: number, t: PortTotals): StatsLine {
  const average = (sum: number) => (t.count === 0 ? 0 : Math.floor(sum / t.count));
  return {
    timeSec,
    peer,
    port,
    avgTotalUs: average(t.totalUs),
    avgProcessUs: average(t.processUs),
    retransPermille:
      t.count === 0 || t.packets === 0 ? 0 : Math.floor((1000 * t.retrans) / t.packets),
    avgMinRttUs: average(t.minRttUs),
    failPermille: average(1000 * t.fails),
    avgBytesSent: average(t.bytesSent),
    avgUploadUs: average(t.uploadUs),
    avgBytesReceived: average(t.bytesReceived),
    count: t.count,
  };
}
