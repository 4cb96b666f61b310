import { parseRoutePattern, type RoutePatternSegment } from '@tcprt/schema';
import { pathOfTarget } from './path-normaliser';

/** A rule's route pattern (tcprt.yaml `routes:`, schema config/route-pattern.ts), ready to match. */
export interface RoutePattern {
  route: string;
  segments: RoutePatternSegment[];
}

/** Patterns the config has already validated; one that does not parse is a bug upstream. */
export function compileRoutePatterns(patterns: readonly string[]): RoutePattern[] {
  return patterns.map((route) => {
    const segments = parseRoutePattern(route);
    if (typeof segments === 'string') throw new Error(`route pattern ${route}: ${segments}`);
    return { route, segments };
  });
}

function matches(pattern: RoutePatternSegment[], segments: string[], truncated: boolean): boolean {
  for (const [i, p] of pattern.entries()) {
    if (p.kind === 'rest') return true;
    // A cut path's last segment is partial: only a `*` reached before it can match.
    if (i >= segments.length || (truncated && i === segments.length - 1)) return false;
    const segment = segments[i]!;
    if (p.kind === 'param' ? segment === '' : segment !== p.text) return false;
  }
  return !truncated && pattern.length === segments.length;
}

/** The first pattern the path matches (its route), or null. */
export function matchRoutePattern(
  patterns: readonly RoutePattern[],
  target: string,
  truncated: boolean,
): string | null {
  if (patterns.length === 0) return null;
  const path = pathOfTarget(target);
  if (!path.startsWith('/')) return null;
  const segments = path.slice(1).split('/');
  return patterns.find((p) => matches(p.segments, segments, truncated))?.route ?? null;
}
