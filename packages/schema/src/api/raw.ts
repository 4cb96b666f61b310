import { z } from 'zod';
import { WINDOW_ERROR, epochMsSchema, isSaneWindow } from './common';

/** Which raw file to download (SPEC §2 log lines or §3 stats lines) and an optional time window. */
export const rawDownloadInputSchema = z
  .object({
    file: z.enum(['log', 'stats']),
    fromMs: epochMsSchema.optional(),
    toMs: epochMsSchema.optional(),
  })
  .strict()
  .refine(isSaneWindow, WINDOW_ERROR);
export type RawDownloadInput = z.infer<typeof rawDownloadInputSchema>;

export const rawFilesInfoSchema = z.object({
  log: z.object({ sizeBytes: z.number().int(), boundBytes: z.number().int() }),
  stats: z.object({ sizeBytes: z.number().int(), boundBytes: z.number().int() }),
});
export type RawFilesInfo = z.infer<typeof rawFilesInfoSchema>;

/**
 * A download of stored history: the records whose start time falls in [fromMs, toMs), as V6/V7
 * log lines in start-time order, rebuilt from the database (not the bounded raw file).
 */
export const historyWindowInputSchema = z
  .object({ fromMs: epochMsSchema, toMs: epochMsSchema })
  .strict()
  .refine(isSaneWindow, WINDOW_ERROR);
export type HistoryWindowInput = z.infer<typeof historyWindowInputSchema>;

/** What a history download of a window holds, told before downloading it. */
export const historySpanSchema = z.object({
  lines: z.number().int(),
  /** Start times (µs) of the first and last record in the window, null when it holds none. */
  firstStartUs: z.number().int().nullable(),
  lastStartUs: z.number().int().nullable(),
  /** The oldest record still stored: nothing before it can be downloaded. */
  oldestStoredUs: z.number().int().nullable(),
});
export type HistorySpan = z.infer<typeof historySpanSchema>;
