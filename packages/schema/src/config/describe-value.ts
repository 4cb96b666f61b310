/** Values and keys echoed in error messages are cut here: a config error never repeats a file. */
export const MAX_ECHO_CHARS = 40;

/** `text`, or its first MAX_ECHO_CHARS characters and how many more there were. */
export function excerpt(text: string, maxChars = MAX_ECHO_CHARS): string {
  return text.length <= maxChars
    ? text
    : `${text.slice(0, maxChars)}… (${text.length - maxChars} more characters)`;
}

/** How a config value reads in an error message: `got "yes"`, `got 0`, `got a list`. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(excerpt(value));
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
