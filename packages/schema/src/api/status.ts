import { z } from 'zod';
import { configIssueSchema, shieldedFromRestCoercion } from './common';

export const collectorStateSchema = z.enum([
  'starting',
  'running',
  'restarting',
  'deactivated',
  'stopped',
  'failed',
]);
export type CollectorState = z.infer<typeof collectorStateSchema>;

/** A time the collector was not attached (a restart, a crash): records of that time are missing. */
export const collectorGapSchema = z.object({
  startMs: z.number().int(),
  /** null while the collector is still not attached. */
  endMs: z.number().int().nullable(),
  reason: z.string(),
});
export type CollectorGap = z.infer<typeof collectorGapSchema>;

export const statusSchema = z.object({
  version: z.string(),
  uptimeSec: z.number().int(),
  collector: z.object({
    state: collectorStateSchema,
    /** Whether new connections are tracked (false after `deactivate`). */
    active: z.boolean(),
    restarts: z.number().int(),
    lastError: z.string().nullable(),
    kernel: z.string(),
    /** Kernel support the loader reported, e.g. which optional hooks attached. */
    support: z.record(z.string(), z.boolean()),
    lostRecords: z.number().int(),
    /** The most recent gaps since the agent started, oldest first (at most 20). */
    gaps: z.array(collectorGapSchema),
  }),
  config: z.object({
    path: z.string(),
    loadedAtMs: z.number().int(),
    /**
     * Errors of the last rejected candidate (file edit, API update, or rules the collector's
     * loader refused); empty when the last one applied. Non-empty means "config rejected".
     */
    errors: z.array(configIssueSchema),
    rejectedAtMs: z.number().int().nullable(),
    /** What is odd about the running config although it is valid, e.g. a file with no settings. */
    warnings: z.array(z.string()),
  }),
  database: z.object({
    path: z.string(),
    sizeBytes: z.number().int(),
    records: z.number().int(),
    oldestStartUs: z.number().int().nullable(),
    /** Id of the newest stored record (0 when empty): `records.tail` from here gives only new ones. */
    lastRecordId: z.number().int(),
  }),
  /** What could not be written since the agent started (a full disk): dropped, counted, not retried. */
  storage: z.object({
    /** Records the database could not store. */
    unstoredRecords: z.number().int(),
    /** Log and stats lines the raw files could not take. */
    unwrittenRawLines: z.number().int(),
    /** Why writing fails right now (e.g. "database or disk is full", "ENOSPC"); null when it works. */
    error: z.string().nullable(),
  }),
  /** Records stored per second, averaged over the last 10 s. */
  recordsPerSec: z.number(),
});
export type Status = z.infer<typeof statusSchema>;

export const setActiveInputSchema = z
  .object({ active: shieldedFromRestCoercion(z.boolean()) })
  .strict();
