import {
  closeReasonsInputSchema,
  closeReasonsSchema,
  endpointsInputSchema,
  endpointsSchema,
  portsInputSchema,
  portsSchema,
  statsHeatmapInputSchema,
  statsHeatmapSchema,
  statsSeriesInputSchema,
  statsSeriesSchema,
  statsWindowInputSchema,
  statsWindowSchema,
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

  window: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/stats/window',
        tags: ['stats'],
        summary:
          "A port's figures for a whole window: percentiles of all its tasks, rate over its active time, distributions",
      },
    })
    .input(statsWindowInputSchema)
    .output(statsWindowSchema)
    .query(({ ctx, input }) => ctx.services.stats.window(input)),

  heatmap: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/stats/heatmap',
        tags: ['stats'],
        summary: "A port's latency heatmap: tasks per time bucket and log-latency bin",
      },
    })
    .input(statsHeatmapInputSchema)
    .output(statsHeatmapSchema)
    .query(({ ctx, input }) => ctx.services.stats.heatmap(input)),

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

  endpoints: publicProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/stats/endpoints',
        tags: ['stats'],
        summary:
          "A local http port's routes over a window: rate, 5xx ratio, status counts, p50/p90/p99 of each phase",
      },
    })
    .input(endpointsInputSchema)
    .output(endpointsSchema)
    .query(({ ctx, input }) => ctx.services.endpoints.endpoints(input)),
});
