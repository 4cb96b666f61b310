import { z } from 'zod';

/**
 * Inputs arrive as JSON over tRPC and as query strings over REST, so numeric inputs coerce.
 * Upper bounds keep a caller from asking for absurd work (year 3000, millions of rows).
 */
export const MAX_EPOCH_MS = 32503680000000; // 3000-01-01: any later time is a caller bug

export const epochMsSchema = z.coerce.number().int().min(0).max(MAX_EPOCH_MS);
export const tcpPortSchema = z.coerce.number().int().min(1).max(65535);
export const rowIdSchema = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
export const durationUsFilterSchema = z.coerce.number().int().min(0).max(86_400_000_000);

/** An IPv4 or IPv6 address as the log prints it (no brackets, no port). */
export const ipAddressSchema = z.union([z.ipv4(), z.ipv6()]);

/** Both ends of a time window; `toMs` must not precede `fromMs` and the window is at most a year. */
export const MAX_WINDOW_MS = 366 * 86_400_000;

export function isSaneWindow(w: {
  fromMs?: number | undefined;
  toMs?: number | undefined;
}): boolean {
  if (w.fromMs === undefined || w.toMs === undefined) return true;
  return w.toMs >= w.fromMs && w.toMs - w.fromMs <= MAX_WINDOW_MS;
}
export const WINDOW_ERROR = `toMs must be >= fromMs and the window at most ${MAX_WINDOW_MS} ms`;

/** A port as the stats lines name it: local `80` or peer `P3306`. */
export const portKeySchema = z.object({
  port: tcpPortSchema,
  peer: z.boolean(),
});
export type PortKey = z.infer<typeof portKeySchema>;

/**
 * The REST adapter (trpc-to-openapi) switches on `coerce` in every number/boolean it finds in an
 * input object, recursing into nested objects, and it does so by mutating the schema in place.
 * That would make "false" parse as true and would leak into the schemas shared with the
 * tcprt.yaml loader. A one-member union is opaque to that walk and validates identically.
 */
export function shieldedFromRestCoercion<T extends z.ZodType>(schema: T): z.ZodUnion<[T]> {
  return z.union([schema]);
}

/** Sort direction as text, so it travels in a REST query unchanged. */
export const sortOrderSchema = z.enum(['asc', 'desc']);

export const okSchema = z.object({ ok: z.literal(true) });

/**
 * One problem with a config candidate: where (1-based YAML line, null for a structured API
 * update; key path like `per-port[1].mode`, '' for the whole file) and what.
 */
export const configIssueSchema = z.object({
  line: z.number().int().nullable(),
  path: z.string(),
  message: z.string(),
});
export type ConfigIssue = z.infer<typeof configIssueSchema>;
