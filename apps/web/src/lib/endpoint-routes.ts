import type { EndpointRoute } from '@tcprt/schema';
import { sortRows } from './sort-rows';

/*
 * The Endpoints page's table state (sort, direction, which percentile the split shows) as it
 * lives in the URL, and the routes sorted by it. Pure: the page renders what these return.
 */

export const SPLIT_QUANTILES = ['p50', 'p99'] as const;
export type SplitQuantile = (typeof SPLIT_QUANTILES)[number];

type RouteValue = (r: EndpointRoute, split: SplitQuantile) => number;
const us =
  (q: 'p50' | 'p90' | 'p99'): RouteValue =>
  (r) =>
    r.total[`${q}Us`];
const phase =
  (name: 'upload' | 'process' | 'download'): RouteValue =>
  (r, split) =>
    r[name][`${split}Us`];

/** Sortable columns; `route` sorts by name (method, then route). */
export const ENDPOINT_SORTS = {
  route: null,
  rate: (r: EndpointRoute) => r.tasksPerSec,
  errors: (r: EndpointRoute) => r.errorRatio,
  p50: us('p50'),
  p90: us('p90'),
  p99: us('p99'),
  upload: phase('upload'),
  process: phase('process'),
  download: phase('download'),
} as const satisfies Record<string, RouteValue | null>;
export type EndpointSort = keyof typeof ENDPOINT_SORTS;

export interface EndpointParams {
  sort: EndpointSort;
  desc: boolean;
  split: SplitQuantile;
}

/** The busiest route first, as the agent lists them, until the user sorts. */
const DEFAULT_PARAMS: EndpointParams = { sort: 'rate', desc: true, split: 'p50' };

const isSort = (s: string | null): s is EndpointSort => s !== null && s in ENDPOINT_SORTS;

export function readEndpointParams(params: URLSearchParams): EndpointParams {
  const sort = params.get('sort');
  return {
    sort: isSort(sort) ? sort : DEFAULT_PARAMS.sort,
    desc: isSort(sort) ? params.get('dir') !== 'asc' : DEFAULT_PARAMS.desc,
    split: SPLIT_QUANTILES.find((q) => q === params.get('split')) ?? DEFAULT_PARAMS.split,
  };
}

/** Writes the state into the page's URL parameters; defaults are left out. */
export function writeEndpointParams(params: URLSearchParams, e: EndpointParams): void {
  const isDefault = e.sort === DEFAULT_PARAMS.sort && e.desc === DEFAULT_PARAMS.desc;
  if (isDefault) params.delete('sort');
  else params.set('sort', e.sort);
  if (isDefault || e.desc) params.delete('dir');
  else params.set('dir', 'asc');
  if (e.split === DEFAULT_PARAMS.split) params.delete('split');
  else params.set('split', e.split);
}

/** A click on a column: the same column flips; a new one starts worst (largest) first, names A–Z. */
export function nextSort(current: EndpointParams, sort: EndpointSort): EndpointParams {
  if (current.sort === sort) return { ...current, desc: !current.desc };
  return { ...current, sort, desc: sort !== 'route' };
}

const byName = (a: EndpointRoute, b: EndpointRoute) =>
  a.route.localeCompare(b.route) || a.method.localeCompare(b.method);

export function sortEndpointRoutes(
  routes: readonly EndpointRoute[],
  e: EndpointParams,
): EndpointRoute[] {
  const value = ENDPOINT_SORTS[e.sort];
  return sortRows(routes, value && ((r: EndpointRoute) => value(r, e.split)), e.desc, byName);
}

/** A route's status codes in code order, for its Status cell: `[['200', 118], ['404', 2]]`. */
export function statusEntries(statusCounts: Record<string, number>): [string, number][] {
  return Object.entries(statusCounts).sort(([a], [b]) => Number(a) - Number(b));
}

/**
 * Why a port shows no routes: it had no tasks in the range at all, or tasks without an HTTP
 * request (its rule is not in http mode, or its clients speak something else). Null when it has
 * routes.
 */
export function noRoutesReason(e: {
  routes: readonly unknown[];
  withoutRequest: number;
}): 'no-tasks' | 'no-requests' | null {
  if (e.routes.length > 0) return null;
  return e.withoutRequest > 0 ? 'no-requests' : 'no-tasks';
}
