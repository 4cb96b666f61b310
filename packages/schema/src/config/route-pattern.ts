import { z } from 'zod';
import { excerpt, expected } from './describe-value';

/*
 * A rule's explicit route patterns (`routes:` in tcprt.yaml, issue 20): how the agent groups an
 * http-mode port's request paths into endpoints when its own normalisation would not say it.
 * A pattern is a path of segments, each a literal, a `{name}` placeholder matching exactly one
 * non-empty segment, or, as the last segment only, `*` matching the rest of the path (none or
 * more segments). The pattern itself is the route its requests are grouped under.
 */

/** Patterns one rule may give: they count among the port's MAX_ROUTES_PER_PORT routes. */
export const MAX_ROUTE_PATTERNS_PER_RULE = 50;
/** A pattern's length; also the longest route the API filters by. */
export const MAX_ROUTE_PATTERN_CHARS = 200;

/** One segment of a parsed pattern. */
export type RoutePatternSegment =
  { kind: 'literal'; text: string } | { kind: 'param' } | { kind: 'rest' };

const PARAM = /^\{[A-Za-z_][A-Za-z0-9_]*\}$/;
/** Printable ASCII a path segment may hold (what the kernel keeps of a path), braces excepted. */
const LITERAL = /^[!-~]*$/;

/** The segments of a pattern, or why it is not one. */
export function parseRoutePattern(pattern: string): RoutePatternSegment[] | string {
  if (!pattern.startsWith('/'))
    return `a route pattern starts with "/", got ${JSON.stringify(excerpt(pattern))}`;
  const parts = pattern.slice(1).split('/');
  const segments: RoutePatternSegment[] = [];
  for (const [i, part] of parts.entries()) {
    if (part === '*') {
      if (i !== parts.length - 1) return '"*" may only be the last segment';
      segments.push({ kind: 'rest' });
    } else if (PARAM.test(part)) segments.push({ kind: 'param' });
    else if (/[{}]/.test(part))
      return `segment ${JSON.stringify(excerpt(part))}: a placeholder is a whole segment {name} (letters, digits, _)`;
    else if (!LITERAL.test(part) || /[?#]/.test(part))
      return `segment ${JSON.stringify(excerpt(part))}: only printable ASCII without spaces, "?" or "#"`;
    else segments.push({ kind: 'literal', text: part });
  }
  return segments;
}

export const routePatternSchema = z
  .string({ error: expected('a route pattern such as "/users/{id}/orders"') })
  .max(MAX_ROUTE_PATTERN_CHARS, `at most ${MAX_ROUTE_PATTERN_CHARS} characters`)
  .superRefine((pattern, ctx) => {
    const parsed = parseRoutePattern(pattern);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  });

export const routePatternsSchema = z
  .array(routePatternSchema, { error: expected('a list of route patterns') })
  // A refinement rather than .max(): .max() stops the rule-overlap check from running.
  .superRefine((patterns, ctx) => {
    if (patterns.length > MAX_ROUTE_PATTERNS_PER_RULE)
      ctx.addIssue({
        code: 'custom',
        message: `at most ${MAX_ROUTE_PATTERNS_PER_RULE} route patterns per rule, got ${patterns.length}`,
      });
    const seen = new Set<string>();
    for (const [i, pattern] of patterns.entries()) {
      if (seen.has(pattern))
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `${JSON.stringify(excerpt(pattern))} is listed twice`,
        });
      seen.add(pattern);
    }
  });
