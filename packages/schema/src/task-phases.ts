import type { NRecord, PRecord, RRecord, TcprtRecord, WRecord } from './records';

/*
 * The one definition of a task's split (SPEC §1) and of SPEC §3's counting rules. Every consumer
 * — the agent's store and rollups, the stats lines, the metrics, the console — derives from
 * these; none writes the formula again.
 */

/** A finished task split into its phases, all in µs. upload + process + download = total. */
export interface TaskPhases {
  totalUs: number;
  /** Local (R): T1−T0, the request arriving. Peer (P): the request going out. */
  uploadUs: number;
  /** Local (R): T2−T1, the server thinking. Peer (P): the peer's service time. */
  processUs: number;
  /** Local (R): T3−T2, the response until the last ACK. Peer (P): the response arriving. */
  downloadUs: number;
}

/**
 * The split of a finished task: R (local) and P (peer) records; null for W/N/E, which are not
 * finished tasks. The remainder phase is clamped at 0: kernel times are truncated to µs one by
 * one, so the parts can exceed the total by a microsecond.
 */
export function taskPhases(r: RRecord | PRecord): TaskPhases;
export function taskPhases(r: TcprtRecord): TaskPhases | null;
export function taskPhases(r: TcprtRecord): TaskPhases | null {
  const phases: TaskPhases = { totalUs: 0, uploadUs: 0, processUs: 0, downloadUs: 0 };
  return writeTaskPhases(r, phases) ? phases : null;
}

/**
 * taskPhases written into `into` instead of a new object, for code that runs for every ingested
 * record (an object per record there is measurable GC work). False, leaving `into` as it was,
 * for W/N/E.
 */
export function writeTaskPhases(r: TcprtRecord, into: TaskPhases): boolean {
  switch (r.type) {
    case 'R':
      into.totalUs = r.totalUs;
      into.uploadUs = r.uploadUs;
      into.processUs = r.processUs;
      into.downloadUs = remainderUs(r.totalUs, r.uploadUs, r.processUs);
      return true;
    case 'P':
      into.totalUs = r.totalUs;
      into.uploadUs = remainderUs(r.totalUs, r.serviceUs, r.receiveUs);
      into.processUs = r.serviceUs;
      into.downloadUs = r.receiveUs;
      return true;
    default:
      return false;
  }
}

/**
 * How far a task cut short by its connection's close got, in the same phases: W (the response
 * was being sent) finished upload and process, and the rest of the elapsed time went to the
 * unfinished download (clamped at 0 as in taskPhases); N (the request was still arriving) spent
 * all of it in upload and never reached the later phases (null).
 */
export interface UnfinishedTaskPhases<Later extends number | null = number | null> {
  elapsedUs: number;
  uploadUs: number;
  processUs: Later;
  downloadUs: Later;
}

export function unfinishedTaskPhases(r: WRecord): UnfinishedTaskPhases<number>;
export function unfinishedTaskPhases(r: NRecord): UnfinishedTaskPhases<null>;
export function unfinishedTaskPhases(r: WRecord | NRecord): UnfinishedTaskPhases;
export function unfinishedTaskPhases(r: WRecord | NRecord): UnfinishedTaskPhases {
  if (r.type === 'N')
    return { elapsedUs: r.elapsedUs, uploadUs: r.elapsedUs, processUs: null, downloadUs: null };
  return {
    elapsedUs: r.elapsedUs,
    uploadUs: r.uploadUs,
    processUs: r.processUs,
    downloadUs: remainderUs(r.elapsedUs, r.uploadUs, r.processUs),
  };
}

/** `total − a − b`, never below 0. */
export function remainderUs(totalUs: number, aUs: number, bUs: number): number {
  return Math.max(0, totalUs - aUs - bUs);
}

/** SPEC §3: a W record counts as a failure when it had been going for more than this. */
export const FAIL_MIN_ELAPSED_US = 100;

/** SPEC §3: local stats count only R records that sent a response. */
export function countsAsLocalTask(r: TcprtRecord): r is RRecord {
  return r.type === 'R' && r.bytesSent > 0;
}

/** SPEC §3: peer stats count every P record. */
export function countsAsPeerTask(r: TcprtRecord): r is PRecord {
  return r.type === 'P';
}

/** SPEC §3: a W record that had been going for more than FAIL_MIN_ELAPSED_US is a failure. */
export function isFailedClose(r: TcprtRecord): r is WRecord {
  return r.type === 'W' && r.elapsedUs > FAIL_MIN_ELAPSED_US;
}
