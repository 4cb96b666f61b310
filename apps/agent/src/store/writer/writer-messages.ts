import type { StatsLine } from '@tcprt/schema';
import type { ObservedService } from '../../port-services/port-service-tracker';
import type { RecordBatch } from './record-batch';
import type { RetentionLimits } from './retention-limits';

// The protocol between DatabaseWriter (main thread) and the writer thread (thread/writer-thread.ts).

/** What the main thread asks of the writer thread; answered in order, one at a time. */
export type WriterRequest =
  | { kind: 'batch'; batch: RecordBatch }
  | { kind: 'statsLines'; lines: StatsLine[] }
  | { kind: 'portServices'; seen: ObservedService[] }
  | { kind: 'retention'; id: number; nowMs: number }
  /** Answered once everything sent before it is committed. */
  | { kind: 'sync'; id: number }
  /** Opens the database if the thread has not: started with `deferOpen`, or opening failed. */
  | { kind: 'open'; id: number }
  | { kind: 'close'; id: number };

export type WriterReply =
  | { kind: 'done'; id: number; deleted?: number }
  /** A batch was stored after one could not be: storing works again. */
  | { kind: 'stored' }
  /** A full batch's values array (RecordBatch.reusable), moved back once written, for the next batch. */
  | { kind: 'spare'; values: Float64Array }
  /** `rows`: records of a batch that could not be stored; `id`: the request that failed. */
  | { kind: 'error'; message: string; rows?: number; id?: number };

/** Rows committed so far, raised after each batch. */
export const STORED_SLOT = 0;
/** Rows deleted by retention so far (age, and size after every batch). */
export const DELETED_SLOT = 1;

export interface WriterThreadData {
  file: string;
  retention: RetentionLimits;
  /** Wait for an `open` request instead of opening at start (the main thread holds the file locked). */
  deferOpen: boolean;
  /** Counters the thread raises and the main thread reads (and waits on), at the slots below. */
  counters: BigInt64Array;
}
