/** URL parameters that stay when moving between pages: the shared time range and refresh rate. */
const CARRIED_PARAMS = ['range', 'from', 'to', 'refresh'];

export function carriedQuery(
  params: URLSearchParams | { get(name: string): string | null },
): string {
  const out = new URLSearchParams();
  for (const name of CARRIED_PARAMS) {
    const value = params.get(name);
    if (value !== null) out.set(name, value);
  }
  const s = out.toString();
  return s ? `?${s}` : '';
}

/** `href` (with or without a query already) with more parameters set: `/tasks?range=1h` + port. */
export function withParams(href: string, extra: Record<string, string>): string {
  const [path = '', query = ''] = href.split('?', 2);
  const params = new URLSearchParams(query);
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}
