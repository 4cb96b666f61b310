import type { StatsLine } from '@tcprt/schema';
import type { RecordBatch } from './record-batch';
import type { RetentionLimits } from './retention-limits';

// The protocol between DatabaseWriter (main thread) and the writer thread (thread/writer-thread.ts).

/** What the main thread asks of the writer thread; answered in order, one at a time. */
export type WriterRequest =
  | { kind: 'batch'; batch: RecordBatch }
  | { kind: 'statsLines'; lines: StatsLine[] }
  | { kind: 'retention'; id: number; nowMs: number }
  /** Answered once everything sent before it is committed. */
  | { kind: 'sync'; id: number }
  | { kind: 'close'; id: number };

export type WriterReply =
  | { kind: 'done'; id: number; deleted?: number }
  /** `rows`: records of a batch that could not be stored; `id`: the request that failed. */
  | { kind: 'error'; message: string; rows?: number; id?: number };

export interface WriterThreadData {
  file: string;
  retention: RetentionLimits;
  /** [0]: rows committed so far, raised after each batch (the main thread reads and waits on it). */
  stored: BigInt64Array;
}
