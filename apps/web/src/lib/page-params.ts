/** A page's `searchParams` prop as URLSearchParams (repeated keys keep their first value). */
export async function searchParamsOf(
  searchParams: Promise<Record<string, string | string[] | undefined>>,
): Promise<URLSearchParams> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(await searchParams)) {
    const value = Array.isArray(v) ? v[0] : v;
    if (value !== undefined) params.set(k, value);
  }
  return params;
}

export type SearchParamsProp = {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};
