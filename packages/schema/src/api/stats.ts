import { z } from 'zod';
import { CLOSE_REASONS, type CloseReason } from '../close-detail';
import { WINDOW_ERROR, epochMsSchema, isSaneWindow, tcpPortSchema } from './common';
import { portServiceSchema } from './port-service';

/** Which end's port a series is about: `local` (server side, R records) or `peer` (client side, P records). */
export const portSideSchema = z.enum(['local', 'peer']);

/**
 * Bucket widths are multiples of 10 s, the finest stored rollup (kept for the last day; older
 * history answers at 60 s and coarser). At most MAX_BUCKETS per query.
 */
export const bucketSecSchema = z.coerce
  .number()
  .int()
  .min(10)
  .max(86_400 * 31)
  .multipleOf(10);
export const MAX_BUCKETS = 2000;

function bucketCountOk(w: { fromMs: number; toMs: number; bucketSec: number }): boolean {
  return (w.toMs - w.fromMs) / (w.bucketSec * 1000) <= MAX_BUCKETS;
}

/** The port and side a series, window figures or heatmap is about. */
const portSideShape = {
  port: tcpPortSchema,
  side: portSideSchema.default('local'),
};

/**
 * The window (`fromMs`, `toMs`) and bucket width (`bucketSec`, one minute by default) of a
 * bucketed query, with the window and bucket-count checks. Each query adds its own fields with
 * `safeExtend`, which keeps the checks and `strict`.
 */
const bucketedWindowInputSchema = z
  .object({
    fromMs: epochMsSchema,
    toMs: epochMsSchema,
    bucketSec: bucketSecSchema.default(60),
  })
  .strict()
  .refine(isSaneWindow, WINDOW_ERROR)
  .refine(bucketCountOk, `at most ${MAX_BUCKETS} buckets per query: widen bucketSec`);

export const statsSeriesInputSchema = bucketedWindowInputSchema.safeExtend(portSideShape);
export type StatsSeriesInput = z.infer<typeof statsSeriesInputSchema>;

export const durationSummarySchema = z.object({
  avgUs: z.number().int(),
  p50Us: z.number().int(),
  p90Us: z.number().int(),
  p99Us: z.number().int(),
});
export type DurationSummary = z.infer<typeof durationSummarySchema>;

/** A port's task figures over a bucket or a window: duration summaries per phase, permilles, RTT. */
const taskFiguresShape = {
  total: durationSummarySchema,
  upload: durationSummarySchema,
  process: durationSummarySchema,
  download: durationSummarySchema,
  retransPermille: z.number().int(),
  failPermille: z.number().int(),
  avgMinRttUs: z.number().int(),
};

/**
 * One bucket of a port's series. Counting follows SPEC §3: local ports count R records with
 * bytes sent > 0 (W records only feed failPermille), peer ports count P records.
 */
export const statsBucketSchema = z.object({
  startMs: z.number().int(),
  count: z.number().int(),
  ...taskFiguresShape,
  avgBytesSent: z.number().int(),
  avgBytesReceived: z.number().int(),
  /**
   * The bucket's download time split by what held it back (download-limits.ts), over the tasks
   * whose downloads the kernel's chronographs saw; null when there were none.
   */
  downloadLimits: z
    .object({ receiverShare: z.number(), networkShare: z.number(), applicationShare: z.number() })
    .nullable(),
});
export type StatsBucket = z.infer<typeof statsBucketSchema>;

export const statsSeriesSchema = z.object({
  port: z.number().int(),
  peer: z.boolean(),
  bucketSec: z.number().int(),
  buckets: z.array(statsBucketSchema),
});
export type StatsSeries = z.infer<typeof statsSeriesSchema>;

export const portsInputSchema = z
  .object({ fromMs: epochMsSchema, toMs: epochMsSchema })
  .strict()
  .refine(isSaneWindow, WINDOW_ERROR);

/**
 * Ports that had records in a window, busiest first: what the console offers to chart, each with
 * the service that was on it (null when neither a rule names it nor a process was ever seen).
 */
export const portsSchema = z.object({
  ports: z.array(
    z.object({
      port: z.number().int(),
      peer: z.boolean(),
      records: z.number().int(),
      service: portServiceSchema.nullable(),
    }),
  ),
});
export type Ports = z.infer<typeof portsSchema>;

export const closeReasonsInputSchema = bucketedWindowInputSchema.safeExtend({
  port: tcpPortSchema.optional(),
});
export type CloseReasonsInput = z.infer<typeof closeReasonsInputSchema>;

/** Connections closed per close reason (close-detail.ts), every reason present. */
export const closeReasonCountsSchema = z.object(
  Object.fromEntries(CLOSE_REASONS.map((reason) => [reason, z.number().int()])) as Record<
    CloseReason,
    z.ZodNumber
  >,
);
export type CloseReasonCounts = z.infer<typeof closeReasonCountsSchema>;

/**
 * How connections ended, per local port and bucket. In TCP-RT's terms (its records): `normal` =
 * E after a finished R (or no pending task), `whileSending` = W, `whileReceiving` = N. `reasons`:
 * the close reason of each connection from its kernel close detail (a TLS close_notify or MySQL
 * COM_QUIT is normal even where TCP-RT wrote an N; connections recorded before close details
 * existed are not in it).
 */
export const closeReasonsSchema = z.object({
  bucketSec: z.number().int(),
  buckets: z.array(
    z.object({
      startMs: z.number().int(),
      port: z.number().int(),
      normal: z.number().int(),
      whileSending: z.number().int(),
      whileReceiving: z.number().int(),
      reasons: closeReasonCountsSchema,
    }),
  ),
});
export type CloseReasons = z.infer<typeof closeReasonsSchema>;

/** The task durations a latency distribution can be about: the whole task or one phase. */
export const latencyPhaseSchema = z.enum(['total', 'upload', 'process', 'download']);
export type LatencyPhase = z.infer<typeof latencyPhaseSchema>;

export const statsWindowInputSchema = z
  .object({ ...portSideShape, fromMs: epochMsSchema, toMs: epochMsSchema })
  .strict()
  .refine(isSaneWindow, WINDOW_ERROR);
export type StatsWindowInput = z.infer<typeof statsWindowInputSchema>;

/**
 * A latency range of a distribution: [lowUs, highUs). Bins are log-linear, four per power of two,
 * each a union of whole bins of the stored histograms (so counts are exact per bin).
 */
export const latencyBinSchema = z.object({ lowUs: z.number(), highUs: z.number() });
export type LatencyBin = z.infer<typeof latencyBinSchema>;

/** Counts per latency bin, parallel to `bins`. */
export const latencyDistributionSchema = z.object({
  bins: z.array(latencyBinSchema),
  counts: z.array(z.number().int()),
});
export type LatencyDistribution = z.infer<typeof latencyDistributionSchema>;

/**
 * One port's figures for a whole window, merged from the stored histograms: the percentiles are
 * those of every task in the window (within the histograms' 1/32 error), not of per-bucket values.
 * Rollup rows are whole: the window read is [fromMs, toMs) widened to `resolutionSec` boundaries.
 */
export const statsWindowSchema = z.object({
  port: z.number().int(),
  peer: z.boolean(),
  fromMs: z.number().int(),
  toMs: z.number().int(),
  resolutionSec: z.number().int(),
  count: z.number().int(),
  /** Seconds of the window in which the port had any record (buckets of resolutionSec with records). */
  activeSec: z.number().int(),
  /** Tasks per second of active time: a burst reads at its own rate, not diluted by idle hours. */
  tasksPerSec: z.number(),
  ...taskFiguresShape,
  closes: z.number().int(),
  closesSending: z.number().int(),
  closesReceiving: z.number().int(),
  /** The window's distribution of each duration. */
  distributions: z.object({
    total: latencyDistributionSchema,
    upload: latencyDistributionSchema,
    process: latencyDistributionSchema,
    download: latencyDistributionSchema,
  }),
});
export type StatsWindow = z.infer<typeof statsWindowSchema>;

export const statsHeatmapInputSchema = bucketedWindowInputSchema.safeExtend({
  ...portSideShape,
  phase: latencyPhaseSchema.default('total'),
});
export type StatsHeatmapInput = z.infer<typeof statsHeatmapInputSchema>;

/**
 * Time × latency: per time bucket, how many tasks fell in each latency bin. `cells` lists only
 * non-empty cells as [bucket index, bin index, count]; `bins` spans the smallest to the largest
 * bin with tasks in the window.
 */
export const statsHeatmapSchema = z.object({
  port: z.number().int(),
  peer: z.boolean(),
  phase: latencyPhaseSchema,
  bucketSec: z.number().int(),
  bucketStartsMs: z.array(z.number().int()),
  bins: z.array(latencyBinSchema),
  cells: z.array(z.tuple([z.number().int(), z.number().int(), z.number().int()])),
});
export type StatsHeatmap = z.infer<typeof statsHeatmapSchema>;
