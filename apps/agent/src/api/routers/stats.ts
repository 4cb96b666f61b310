import {
  closeReasonsInputSchema,
  closeReasonsSchema,
  portsInputSchema,
  portsSchema,
  statsSeriesInputSchema,
  statsSeriesSchema,
} from '@tcprt/schema';
import { publicProcedure, router } from '../trpc';

export const statsRouter = router({
  series: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/stats/series',
        tags: ['stats'],
        summary: "A port's time series in caller-chosen buckets",
      },
    })
    .input(statsSeriesInputSchema)
    .output(statsSeriesSchema)
    .query(({ ctx, input }) => ctx.services.stats.series(input)),

  ports: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/stats/ports',
        tags: ['stats'],
        summary: 'Ports with records in a window, busiest first',
      },
    })
    .input(portsInputSchema)
    .output(portsSchema)
    .query(({ ctx, input }) => ctx.services.stats.ports(input.fromMs, input.toMs)),

  closeReasons: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/stats/close-reasons',
        tags: ['stats'],
        summary: 'How connections ended, per port over time',
      },
    })
    .input(closeReasonsInputSchema)
    .output(closeReasonsSchema)
    .query(({ ctx, input }) => ctx.services.stats.closeReasons(input)),
});
