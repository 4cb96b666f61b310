import { okSchema, rawFilesInfoSchema, setActiveInputSchema, statusSchema } from '@tcprt/schema';
import { z } from 'zod';
import { protectedProcedure, publicProcedure, router } from '../trpc';

const noInput = z.object({}).strict();

export const statusRouter = router({
  get: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/status',
        tags: ['status'],
        summary: 'Agent, collector, config and database health',
      },
    })
    .input(noInput)
    .output(statusSchema)
    .query(({ ctx }) => ctx.services.status()),

  rawFiles: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/raw',
        tags: ['raw files'],
        summary: 'Sizes and bounds of the raw log and stats files',
      },
    })
    .input(noInput)
    .output(rawFilesInfoSchema)
    .query(({ ctx }) => ctx.services.rawFiles.info()),

  /** `false` = deactivate: new connections are no longer tracked, tracked ones finish. */
  setActive: protectedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/collector/active',
        tags: ['status'],
        summary: 'Activate or deactivate tracking of new connections',
        protect: true,
      },
    })
    .input(setActiveInputSchema)
    .output(okSchema)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.setActive(input.active);
      return { ok: true as const };
    }),
});
