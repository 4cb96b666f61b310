import {
  MAX_ROUTES_PER_PORT,
  OTHER_ROUTE,
  tcprtConfigSchema,
  type HttpExchange,
} from '@tcprt/schema';
import { describe, expect, it } from 'vitest';
import { RouteGrouper } from './route-grouper';

const get = (path: string, pathTruncated = false): HttpExchange => ({
  method: 'GET',
  path,
  pathTruncated,
  status: 200,
});

const config = tcprtConfigSchema.parse({
  'per-port': [
    { port: 8080, mode: 'http', routes: ['/users/{id}/orders', '/static/*'] },
    { port: 8081, mode: 'http' },
  ],
});

function randomPath(): string {
  return `/r/${Math.random().toString(36).slice(2, 8)}z/${Math.random().toString(36).slice(2, 6)}`;
}

describe('RouteGrouper', () => {
  it("groups by the rule's patterns first, then by the normalised path", () => {
    const g = new RouteGrouper();
    g.setConfig(config);
    expect(g.routeOf(8080, get('/users/alice/orders'))).toBe('/users/{id}/orders');
    expect(g.routeOf(8080, get('/users/42/orders'))).toBe('/users/{id}/orders');
    expect(g.routeOf(8080, get('/static'))).toBe('/static/*');
    expect(g.routeOf(8080, get('/static/css/a.css'))).toBe('/static/*');
    // A cut path matches a trailing * before the cut, never a segment that was cut.
    expect(g.routeOf(8080, get('/static/very/long', true))).toBe('/static/*');
    expect(g.routeOf(8080, get('/users/42/ord', true))).toBe('/users/{n}/*');
    expect(g.routeOf(8080, get('/users/42'))).toBe('/users/{n}');
    expect(g.routeOf(8081, get('/users/42/orders'))).toBe('/users/{n}/orders');
  });

  it('regroups a path it has seen when a new config gives its port a pattern', () => {
    const g = new RouteGrouper();
    g.setConfig(config);
    expect(g.routeOf(8081, get('/users/7/orders'))).toBe('/users/{n}/orders');
    g.setConfig(
      tcprtConfigSchema.parse({
        'per-port': [{ port: 8081, mode: 'http', routes: ['/users/{id}/orders'] }],
      }),
    );
    expect(g.routeOf(8081, get('/users/7/orders'))).toBe('/users/{id}/orders');
  });

  it('puts an unreadable (empty) path under OTHER_ROUTE', () => {
    const g = new RouteGrouper();
    expect(g.routeOf(80, get(''))).toBe(OTHER_ROUTE);
    expect(g.routeCount(80)).toBe(0);
  });

  it('holds at most MAX_ROUTES_PER_PORT routes per port over 10,000 distinct paths, patterns kept', () => {
    const g = new RouteGrouper();
    g.setConfig(config);
    const seen = new Set<string>();
    const seen8081: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      seen.add(g.routeOf(8080, get(randomPath())));
      seen8081.push(g.routeOf(8081, get(randomPath())));
    }
    // Room is kept for 8080's two patterns, which had no request yet.
    expect(g.routeCount(8080)).toBe(MAX_ROUTES_PER_PORT - 2);
    expect(g.routeCount(8081)).toBe(MAX_ROUTES_PER_PORT);
    expect(seen.has(OTHER_ROUTE)).toBe(true);
    expect(g.routeOf(8080, get('/users/1/orders'))).toBe('/users/{id}/orders');
    expect(g.routeOf(8080, get('/static/x'))).toBe('/static/*');
    expect(g.routeCount(8080)).toBe(MAX_ROUTES_PER_PORT);
    // A route held before the port filled stays its own group.
    const first = seen8081[0]!;
    expect(first).toMatch(/^\/r\//);
    expect(g.routeOf(8081, get(first))).toBe(first);
  });

  it('admits remembered routes first, within the bound, and groups them as before', () => {
    const g = new RouteGrouper();
    g.setConfig(config);
    for (let i = 0; i < MAX_ROUTES_PER_PORT + 10; i++) g.remember(8081, `/old/${i}x`);
    expect(g.routeCount(8081)).toBe(MAX_ROUTES_PER_PORT);
    expect(g.routeOf(8081, get('/old/5x'))).toBe('/old/5x');
    expect(g.routeOf(8081, get('/new'))).toBe(OTHER_ROUTE);
  });
});
