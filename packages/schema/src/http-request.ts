import { z } from 'zod';

/**
 * What a task's HTTP request line and response status line said, as the kernel saw them on the
 * wire (http mode; never the body, never the query string). Issue 20, DESIGN §7.
 */
export const HTTP_METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'CONNECT',
  'TRACE',
] as const;

/** A request whose first bytes are no known method (or not HTTP at all) is `OTHER`. */
export const httpMethodSchema = z.enum([...HTTP_METHODS, 'OTHER']);
export type HttpMethod = z.infer<typeof httpMethodSchema>;

export const httpStatusSchema = z.coerce.number().int().min(100).max(999);

/** The kernel's view of one task's request and response (KernelRecord.http, before grouping). */
export const httpExchangeSchema = z.object({
  method: httpMethodSchema,
  /**
   * The request target up to the first '?', '#' or space, at most HTTP_PATH_MAX_BYTES bytes
   * (config/kernel-limits.ts); '' when the target held bytes that are not printable ASCII.
   */
  path: z.string(),
  /** The path was cut at HTTP_PATH_MAX_BYTES. */
  pathTruncated: z.boolean(),
  /** The response's status code from its status line; null when no status line was seen. */
  status: httpStatusSchema.nullable(),
});
export type HttpExchange = z.infer<typeof httpExchangeSchema>;

/** Endpoint groups per local port; tasks of further routes are grouped as OTHER_ROUTE. */
export const MAX_ROUTES_PER_PORT = 100;
export const OTHER_ROUTE = '{other}';

/** A stored task's request: the exchange plus the route (endpoint group) the agent put it in. */
export const httpRequestSchema = httpExchangeSchema.extend({
  /** `/users/{n}`-style group of the path (normalised or a rule's explicit pattern), or OTHER_ROUTE. */
  route: z.string(),
});
export type HttpRequest = z.infer<typeof httpRequestSchema>;
