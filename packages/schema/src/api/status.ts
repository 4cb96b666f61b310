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
  }),
  config: z.object({
    path: z.string(),
    loadedAtMs: z.number().int(),
    /** Errors of the last rejected candidate (file edit or API update); empty when the last one applied. */
    errors: z.array(configIssueSchema),
    rejectedAtMs: z.number().int().nullable(),
  }),
  database: z.object({
    path: z.string(),
    sizeBytes: z.number().int(),
    records: z.number().int(),
    oldestStartUs: z.number().int().nullable(),
    /** Id of the newest stored record (0 when empty): `records.tail` from here gives only new ones. */
    lastRecordId: z.number().int(),
  }),
  /** Records stored per second, averaged over the last 10 s. */
  recordsPerSec: z.number(),
});
export type Status = z.infer<typeof statusSchema>;

export const setActiveInputSchema = z
  .object({ active: shieldedFromRestCoercion(z.boolean()) })
  .strict();
