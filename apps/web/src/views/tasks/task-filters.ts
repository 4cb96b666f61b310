import {
  httpMethodSchema,
  httpStatusSchema,
  recordsListInputSchema,
  recordSortSchema,
  type HttpMethod,
  type RecordExtension,
  type RecordSort,
} from '@tcprt/schema';
import { parseDurationUs } from '@/lib/parse-duration';

/** The Tasks page's filters as they live in the URL (everything but the time range). */
export interface TaskFilters {
  kinds: string[];
  /** A V7 extension letter records must carry, or '' for any record. */
  extension: RecordExtension | '';
  localPort: string;
  peerPort: string;
  peerAddr: string;
  minTotal: string;
  minUpload: string;
  minProcess: string;
  minDownload: string;
  /** The HTTP request's method, or '' for any (http-mode ports; tasks without a request never match). */
  method: HttpMethod | '';
  /** The endpoint group (`/slow/{n}`), exactly as the Endpoints page names it. */
  route: string;
  /** The response's status code. */
  status: string;
  sort: RecordSort;
  descending: boolean;
}

export const ALL_KINDS = ['R', 'W', 'N', 'E', 'P'] as const;
export const DEFAULT_KINDS = ['R', 'W', 'N', 'P'];
export const EXTENSIONS: RecordExtension[] = ['C', 'Z', 'A', 'H', 'F'];
export const SORTS: readonly RecordSort[] = recordSortSchema.options;
export const METHODS: readonly HttpMethod[] = httpMethodSchema.options;

export const MIN_TIME_FIELDS = [
  { key: 'minTotal', label: 'Min total', api: 'minTotalUs' },
  { key: 'minUpload', label: 'Min upload', api: 'minUploadUs' },
  { key: 'minProcess', label: 'Min process', api: 'minProcessUs' },
  { key: 'minDownload', label: 'Min download', api: 'minDownloadUs' },
] as const;

const TEXT_KEYS = [
  'localPort',
  'peerPort',
  'peerAddr',
  'minTotal',
  'minUpload',
  'minProcess',
  'minDownload',
  'route',
  'status',
] as const;

export function readTaskFilters(params: URLSearchParams): TaskFilters {
  const kinds = (params.get('kinds') ?? DEFAULT_KINDS.join(','))
    .split(',')
    .filter((k) => (ALL_KINDS as readonly string[]).includes(k));
  const sort = SORTS.find((s) => s === params.get('sort')) ?? 'time';
  const extension = EXTENSIONS.find((e) => e === params.get('ext')) ?? '';
  const method = METHODS.find((m) => m === params.get('method')) ?? '';
  const text = Object.fromEntries(TEXT_KEYS.map((k) => [k, params.get(k) ?? ''])) as Record<
    (typeof TEXT_KEYS)[number],
    string
  >;
  return { kinds, extension, method, ...text, sort, descending: params.get('asc') !== '1' };
}

export function writeTaskFilters(params: URLSearchParams, f: TaskFilters): void {
  const kinds = ALL_KINDS.filter((k) => f.kinds.includes(k)).join(',');
  if (kinds === DEFAULT_KINDS.join(',')) params.delete('kinds');
  else params.set('kinds', kinds);
  if (f.extension) params.set('ext', f.extension);
  else params.delete('ext');
  if (f.method) params.set('method', f.method);
  else params.delete('method');
  for (const k of TEXT_KEYS) {
    const v = f[k].trim();
    if (v) params.set(k, v);
    else params.delete(k);
  }
  if (f.sort === 'time') params.delete('sort');
  else params.set('sort', f.sort);
  if (f.descending) params.delete('asc');
  else params.set('asc', '1');
  params.delete('cursor');
}

export type FieldErrors = Partial<Record<keyof TaskFilters, string>>;

const PORT = /^\d{1,5}$/;
/** The API's own check of the route filter (records.ts), so both sides agree on its bounds. */
const ROUTE = recordsListInputSchema.shape.route;

/** Field-level checks before anything is sent; the agent validates again. */
export function validateTaskFilters(f: TaskFilters): FieldErrors {
  const errors: FieldErrors = {};
  for (const key of ['localPort', 'peerPort'] as const) {
    const v = f[key].trim();
    if (v && (!PORT.test(v) || Number(v) < 1 || Number(v) > 65535)) errors[key] = 'a port 1–65535';
  }
  const addr = f.peerAddr.trim();
  if (addr && !/^[0-9a-fA-F:.]+$/.test(addr)) errors.peerAddr = 'an IPv4 or IPv6 address';
  for (const { key } of MIN_TIME_FIELDS) {
    const v = f[key].trim();
    if (!v) continue;
    const parsed = parseDurationUs(v);
    if (!parsed.ok) errors[key] = parsed.error;
  }
  const status = f.status.trim();
  if (status && !(/^\d+$/.test(status) && httpStatusSchema.safeParse(status).success))
    errors.status = 'a status code 100–999';
  if (!ROUTE.safeParse(f.route.trim() || undefined).success)
    errors.route = `at most ${ROUTE.unwrap().maxLength} characters`;
  if (f.kinds.length === 0) errors.kinds = 'pick at least one record type';
  return errors;
}

export interface ListInputExtras {
  fromMs: number;
  toMs: number;
  cursor: string | undefined;
  limit: number;
}

/** API input for records.list; call only with filters that passed validateTaskFilters. */
export function toListInput(f: TaskFilters, extras: ListInputExtras) {
  const port = (v: string) => (v.trim() ? Number(v.trim()) : undefined);
  const minUs = (v: string) => {
    const parsed = v.trim() ? parseDurationUs(v) : null;
    return parsed?.ok ? parsed.us : undefined;
  };
  return {
    fromMs: Math.floor(extras.fromMs),
    toMs: Math.ceil(extras.toMs),
    kinds: ALL_KINDS.filter((k) => f.kinds.includes(k)).join(','),
    extension: f.extension || undefined,
    localPort: port(f.localPort),
    peerPort: port(f.peerPort),
    peerAddr: f.peerAddr.trim() || undefined,
    minTotalUs: minUs(f.minTotal),
    minUploadUs: minUs(f.minUpload),
    minProcessUs: minUs(f.minProcess),
    minDownloadUs: minUs(f.minDownload),
    method: f.method || undefined,
    route: f.route.trim() || undefined,
    status: f.status.trim() ? Number(f.status.trim()) : undefined,
    sort: f.sort,
    order: f.descending ? ('desc' as const) : ('asc' as const),
    limit: extras.limit,
    cursor: extras.cursor,
  };
}

export const PAGE_SIZES = [50, 100, 250, 500];

/**
 * The records.list input a Tasks URL asks for, or null when its filters are invalid. Shared by
 * the server prefetch and the page so both ask the identical query.
 */
export function tasksQueryOf(params: URLSearchParams, range: { fromMs: number; toMs: number }) {
  const filters = readTaskFilters(params);
  if (Object.keys(validateTaskFilters(filters)).length > 0) return null;
  const cursor = params.get('cursor') ?? undefined;
  const limit = PAGE_SIZES.find((s) => String(s) === params.get('limit')) ?? 100;
  return toListInput(filters, { ...range, cursor, limit });
}

/** The records.count input for a list input: the same filters, without sort and paging. */
export function countInputOf(list: ReturnType<typeof toListInput>) {
  const { sort: _sort, order: _order, limit: _limit, cursor: _cursor, ...filters } = list;
  return filters;
}
