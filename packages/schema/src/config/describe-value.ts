/** How a config value reads in an error message: `got "yes"`, `got 0`, `got a list`. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  // What YAML gives besides strings, lists and mappings: numbers and booleans.
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return typeof value;
}

/** A zod error function: "required" when the key is missing, else "expected <what>, got <value>". */
export function expected(what: string) {
  return (issue: { input?: unknown }) =>
    issue.input === undefined ? 'required' : `expected ${what}, got ${describeValue(issue.input)}`;
}
