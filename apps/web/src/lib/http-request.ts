import type { HttpRequest } from '@tcprt/schema';

/** How a task's request reads in tables: `GET /users/{n}` (its route; the path is in `requestPath`). */
export function requestLabel(http: Pick<HttpRequest, 'method' | 'route'>): string {
  return `${http.method} ${http.route}`;
}

/**
 * The request's path as the kernel kept it: `…` marks a path cut at HTTP_PATH_MAX_BYTES; an
 * empty path means the request target was not printable ASCII (binary or another protocol).
 */
export function requestPath(http: Pick<HttpRequest, 'path' | 'pathTruncated'>): string {
  if (http.path === '') return '(not printable)';
  return http.pathTruncated ? `${http.path}…` : http.path;
}

/** Server errors (5xx) read as bad, client errors (4xx) as a warning; CSS classes of globals.css. */
export function statusTone(status: number | null): 'text-bad' | 'text-warn' | undefined {
  if (status === null) return undefined;
  if (status >= 500) return 'text-bad';
  if (status >= 400) return 'text-warn';
  return undefined;
}
