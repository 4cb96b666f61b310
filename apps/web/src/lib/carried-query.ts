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
