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
