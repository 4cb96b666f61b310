import { z } from 'zod';
import {
  WINDOW_ERROR,
  durationUsFilterSchema,
  epochMsSchema,
  ipAddressSchema,
  isSaneWindow,
  sortOrderSchema,
  rowIdSchema,
  tcpPortSchema,
} from './common';
import { closeDetailSchema, closeReasonSchema } from '../close-detail';
import { downloadChronoSchema } from '../download-limits';
import { httpMethodSchema, httpRequestSchema, httpStatusSchema } from '../http-request';

export const recordKindSchema = z.enum(['R', 'W', 'N', 'E', 'P']);
export type RecordKind = z.infer<typeof recordKindSchema>;

export const recordExtensionSchema = z.enum(['C', 'Z', 'A', 'H', 'F']);
export type RecordExtension = z.infer<typeof recordExtensionSchema>;

/**
 * One stored record. Columns that a record type does not have are null
 * (an E record has no task times, an N record has no response). `line` is the exact SPEC §2 log line.
 */
export const storedRecordSchema = z.object({
  id: z.number().int(),
  connectionId: z.number().int(),
  version: z.enum(['V6', 'V7']),
  kind: recordKindSchema,
  /** Extension letters after `R.` in C Z A H F order, '' for a plain record. */
  extensions: z.string(),
  /** Wall-clock start of the task (E: of the connection's last task), µs since the epoch. */
  startUs: z.number().int(),
  peerAddr: z.string(),
  peerPort: z.number().int(),
  localAddr: z.string(),
  localPort: z.number().int(),
  taskNumber: z.number().int(),
  totalUs: z.number().int().nullable(),
  uploadUs: z.number().int().nullable(),
  processUs: z.number().int().nullable(),
  downloadUs: z.number().int().nullable(),
  bytesSent: z.number().int().nullable(),
  bytesReceived: z.number().int().nullable(),
  retransmits: z.number().int().nullable(),
  minRttUs: z.number().int().nullable(),
  mss: z.number().int().nullable(),
  reorder: z.boolean().nullable(),
  line: z.string(),
  /** E: how the connection ended (kernel close detail, DESIGN §7); null otherwise and in rows stored before it. */
  close: closeDetailSchema.nullable(),
  closeReason: closeReasonSchema.nullable(),
  /**
   * R/W of the server side whose download the kernel's chronographs saw: the chronographs and
   * what held the download back (download-limits.ts); null otherwise.
   */
  download: z
    .object({
      chrono: downloadChronoSchema,
      receiverShare: z.number(),
      networkShare: z.number(),
      applicationShare: z.number(),
      bytesPerSec: z.number().nullable(),
    })
    .nullable(),
  /** R/W of http-mode ports: the task's request line, route and response status; null otherwise. */
  http: httpRequestSchema.nullable(),
});
export type StoredRecord = z.infer<typeof storedRecordSchema>;

/**
 * `receiverLimited`, `networkLimited`, `applicationLimited`: the share of the download held back by
 * the client's receive window, the network, the server not writing; `throughput`: response bytes
 * per second of download (records without chronographs are left out of these).
 */
export const recordSortSchema = z.enum([
  'time',
  'total',
  'upload',
  'process',
  'download',
  'receiverLimited',
  'networkLimited',
  'applicationLimited',
  'throughput',
]);
export type RecordSort = z.infer<typeof recordSortSchema>;

export const MAX_PAGE_SIZE = 1000;

/** Which records a list (or a count) is about. */
const recordFilterShape = {
  fromMs: epochMsSchema.optional(),
  toMs: epochMsSchema.optional(),
  /** Comma-separated record kinds, e.g. "R,W" (one string so it travels in a REST query). */
  kinds: z
    .string()
    .regex(/^[RWNEP](,[RWNEP]){0,4}$/, 'comma-separated list of R, W, N, E, P')
    .optional(),
  /** Only records carrying this V7 extension letter (R.C, R.Z, R.A, R.H, R.F; combined letters match each). */
  extension: recordExtensionSchema.optional(),
  localPort: tcpPortSchema.optional(),
  peerPort: tcpPortSchema.optional(),
  peerAddr: ipAddressSchema.optional(),
  minTotalUs: durationUsFilterSchema.optional(),
  minUploadUs: durationUsFilterSchema.optional(),
  minProcessUs: durationUsFilterSchema.optional(),
  minDownloadUs: durationUsFilterSchema.optional(),
  /** Tasks whose HTTP request had this method, was grouped into this route, got this status. */
  method: httpMethodSchema.optional(),
  route: z.string().min(1).max(200).optional(),
  status: httpStatusSchema.optional(),
};

export const recordsListInputSchema = z
  .object({
    ...recordFilterShape,
    sort: recordSortSchema.default('time'),
    order: sortOrderSchema.default('desc'),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(100),
    /** Opaque: the `nextCursor` of the previous page with the same filters and sort. */
    cursor: z.string().max(200).optional(),
  })
  .strict()
  .refine(isSaneWindow, WINDOW_ERROR);
export type RecordsListInput = z.infer<typeof recordsListInputSchema>;

/** Counting stops here: a count of a huge window would cost more than it tells. */
export const MAX_COUNTED_RECORDS = 100_000;

export const recordsCountInputSchema = z
  .object(recordFilterShape)
  .strict()
  .refine(isSaneWindow, WINDOW_ERROR);
export type RecordsCountInput = z.infer<typeof recordsCountInputSchema>;

/** How many records match the filters; `capped` when there are more than MAX_COUNTED_RECORDS. */
export const recordsCountSchema = z.object({
  count: z.number().int(),
  capped: z.boolean(),
});
export type RecordsCount = z.infer<typeof recordsCountSchema>;

/** A peer aggregate reads at most this many matching records: the newest ones when there are more. */
export const MAX_GROUPED_RECORDS = 50_000;
/** The most peers one aggregate returns. */
export const MAX_PEER_GROUPS = 500;

/** `slowest`: highest p99 total first; `busiest`: most records first. */
export const peerRankSchema = z.enum(['slowest', 'busiest']);
export type PeerRank = z.infer<typeof peerRankSchema>;

export const recordsPeersInputSchema = z
  .object({
    ...recordFilterShape,
    by: peerRankSchema.default('slowest'),
    limit: z.coerce.number().int().min(1).max(MAX_PEER_GROUPS).default(50),
  })
  .strict()
  .refine(isSaneWindow, WINDOW_ERROR);
export type RecordsPeersInput = z.infer<typeof recordsPeersInputSchema>;

/** One peer address over every matching record with a total time (E records have none). */
export const peerGroupSchema = z.object({
  peerAddr: z.string(),
  count: z.number().int(),
  /** Nearest-rank percentiles of the records' total time. */
  p50TotalUs: z.number().int(),
  p99TotalUs: z.number().int(),
  maxTotalUs: z.number().int(),
});
export type PeerGroup = z.infer<typeof peerGroupSchema>;

export const recordsPeersSchema = z.object({
  /** At most `limit` peers, ranked by `by`. */
  peers: z.array(peerGroupSchema),
  /** Peers and records the aggregate covered (all of them unless `capped`). */
  peerCount: z.number().int(),
  recordCount: z.number().int(),
  /** More than MAX_GROUPED_RECORDS matched: the aggregate covers the newest of them. */
  capped: z.boolean(),
});
export type RecordsPeers = z.infer<typeof recordsPeersSchema>;

export const recordsPageSchema = z.object({
  items: z.array(storedRecordSchema),
  nextCursor: z.string().nullable(),
});
export type RecordsPage = z.infer<typeof recordsPageSchema>;

export const recordGetInputSchema = z.object({ id: rowIdSchema }).strict();

export const connectionInputSchema = z.object({ connectionId: rowIdSchema }).strict();

/** Every record of one connection in the order it was written, and the E record that closed it. */
export const connectionTimelineSchema = z.object({
  connectionId: z.number().int(),
  records: z.array(storedRecordSchema),
  closing: storedRecordSchema.nullable(),
});
export type ConnectionTimeline = z.infer<typeof connectionTimelineSchema>;

/** Records written after `afterId`, oldest first: what `tcprt tail` and the live view poll. */
export const recordsTailInputSchema = z
  .object({
    afterId: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(200),
  })
  .strict();

export const recordsTailSchema = z.object({
  items: z.array(storedRecordSchema),
  /** Pass back as `afterId`; equals the input when nothing new arrived. */
  lastId: z.number().int(),
});
