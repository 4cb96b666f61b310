/*
 * Turns a request path into its route: the path with the segments that identify one resource
 * (ids, numbers, hashes) replaced by a placeholder, so `/users/123` and `/users/456` are one
 * endpoint, `/users/{n}`. Each segment is looked at alone, in this order:
 *
 * | segment                                                   | becomes  | e.g.                         |
 * |-----------------------------------------------------------|----------|------------------------------|
 * | digits, or digit groups joined by `.`, `-`, `_`, `,`      | `{n}`    | `42`, `2026-12-05`, `1.2.3`  |
 * | a UUID (8-4-4-4-12 hex digits)                            | `{uuid}` | `0f8fad5b-d9cb-469f-a165-…`  |
 * | 16 or more hex digits, at least one a digit               | `{hex}`  | `5f2b6c1e9a7d4e3f`, a SHA-1  |
 * | 8 or more letters and digits, at least two digits         | `{id}`   | `a1b2c3d4`, `xK9fQ2mPz`      |
 * | any of those with a file extension (1–5 letters)          | `{n}.png`| `12345.png`                  |
 *
 * Everything else stays as it is (`v2`, `sha256`, `users`). A path the kernel cut short
 * (`pathTruncated`) ends in `*`: its last, partial segment is unknown. An absolute-form target
 * (`http://host/x`, as proxies receive) keeps only its path; an authority-form one (CONNECT
 * `host:443`) is `{authority}`; `*` (OPTIONS *) stays `*`. Any path then yields a route no longer
 * than itself plus a few placeholder characters per segment, and the grouper bounds how many.
 */

const NUMBER = /^\d+(?:[.,_-]\d+)*$/;
const UUID_CHARS = 36;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = /^[0-9a-f]{16,}$/i;
const ALPHANUMERIC_ID = /^[A-Za-z0-9]{8,}$/;
const WITH_EXTENSION = /^(.+)\.([A-Za-z]{1,5})$/;
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/;

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** The placeholder a segment with `digits` digits is replaced by, or null when it names no single resource. */
function placeholderOf(segment: string, digits: number): string | null {
  if (segment.length === UUID_CHARS && UUID.test(segment)) return '{uuid}';
  // Every other placeholder needs a digit: words (most segments) stop here, with no regex run.
  if (digits === 0) return null;
  if (NUMBER.test(segment)) return '{n}';
  if (HEX.test(segment)) return '{hex}';
  if (digits >= 2 && digits < segment.length && ALPHANUMERIC_ID.test(segment)) return '{id}';
  return null;
}

export function normaliseSegment(segment: string): string {
  if (segment === '') return segment;
  const digits = digitCount(segment);
  const whole = placeholderOf(segment, digits);
  if (whole) return whole;
  const file = digits > 0 && segment.includes('.') ? WITH_EXTENSION.exec(segment) : null;
  const stem = file && placeholderOf(file[1]!, digitCount(file[1]!));
  return stem ? `${stem}.${file[2]}` : segment;
}

/** The path part of a request target ('*' and authority-form targets have none). */
export function pathOfTarget(target: string): string {
  if (target.startsWith('/') || target === '*') return target;
  const absolute = ABSOLUTE_FORM.exec(target);
  if (absolute) return target.slice(absolute[0].length) || '/';
  return '{authority}';
}

/** The route of a non-empty request path (see the table above). */
export function normalisePath(target: string, truncated: boolean): string {
  const path = pathOfTarget(target);
  if (!path.startsWith('/')) return path;
  const segments = path.slice(1).split('/');
  const last = truncated ? segments.pop() : undefined;
  const route = `/${segments.map(normaliseSegment).join('/')}`;
  if (last === undefined) return route;
  return segments.length ? `${route}/*` : '/*';
}
