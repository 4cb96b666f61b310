import { z } from 'zod';
import { WINDOW_ERROR, epochMsSchema, isSaneWindow, tcpPortSchema } from './common';
import { httpMethodSchema } from '../http-request';

/**
 * `stats.endpoints` (REST GET /api/stats/endpoints): one local http-mode port's routes over a
 * window, computed from the stored tasks (R records with an HTTP request).
 */
export const endpointsInputSchema = z
  .object({
    port: tcpPortSchema,
    fromMs: epochMsSchema,
    toMs: epochMsSchema,
  })
  .strict()
  .refine(isSaneWindow, WINDOW_ERROR);
export type EndpointsInput = z.infer<typeof endpointsInputSchema>;

/**
 * Tasks one answer reads at most (newest first): a window holding more is answered for its latest
 * MAX_ENDPOINT_TASKS tasks (whole milliseconds), and the answer's `fromMs` says where that began.
 */
export const MAX_ENDPOINT_TASKS = 1_000_000;

/** p50/p90/p99 of one duration over a route's tasks, µs. */
export const endpointPercentilesSchema = z.object({
  p50Us: z.number().int(),
  p90Us: z.number().int(),
  p99Us: z.number().int(),
});
export type EndpointPercentiles = z.infer<typeof endpointPercentilesSchema>;

export const endpointRouteSchema = z.object({
  method: httpMethodSchema,
  route: z.string(),
  count: z.number().int(),
  /** Tasks per second over the window. */
  tasksPerSec: z.number(),
  /** Tasks answered with a 5xx status, and their share of the tasks with a status. */
  serverErrors: z.number().int(),
  errorRatio: z.number(),
  /** Tasks per status code ("200", "404"; tasks without a status are not counted here). */
  statusCounts: z.record(z.string(), z.number().int()),
  total: endpointPercentilesSchema,
  upload: endpointPercentilesSchema,
  process: endpointPercentilesSchema,
  download: endpointPercentilesSchema,
});
export type EndpointRoute = z.infer<typeof endpointRouteSchema>;

export const endpointsSchema = z.object({
  port: z.number().int(),
  /** The asked start, or later when the window held more than MAX_ENDPOINT_TASKS tasks. */
  fromMs: z.number().int(),
  toMs: z.number().int(),
  /** Busiest first. */
  routes: z.array(endpointRouteSchema),
  /** MAX_ROUTES_PER_PORT: routes beyond it are counted under OTHER_ROUTE. */
  routeLimit: z.number().int(),
  /** Tasks of the window with no HTTP request seen (another protocol, or a non-http port). */
  withoutRequest: z.number().int(),
});
export type Endpoints = z.infer<typeof endpointsSchema>;
