import {
  matchRule,
  MAX_ROUTES_PER_PORT,
  OTHER_ROUTE,
  type HttpExchange,
  type TcprtConfig,
} from '@tcprt/schema';
import { normalisePath } from './path-normaliser';
import { compileRoutePatterns, matchRoutePattern, type RoutePattern } from './route-patterns';

/** The routes of one local port. */
interface PortRoutes {
  /** The rule's patterns as of the last config: always routes of their own. */
  patterns: RoutePattern[];
  /** Every route the port's requests were grouped under, patterns included (not OTHER_ROUTE). */
  routes: Set<string>;
  /** The route each recent whole path got: most traffic repeats a few paths. */
  recent: Map<string, string>;
}

/**
 * Paths whose route a port remembers (then it starts over): a repeated path costs one map lookup
 * instead of its normalisation. At most ~200 bytes each, so under 250 KiB per port.
 */
const RECENT_PATHS_PER_PORT = 1024;

/**
 * Puts each HTTP request of a local port into its route (endpoint group): the first of its rule's
 * explicit patterns the path matches, else the normalised path (path-normaliser.ts). A port holds
 * at most MAX_ROUTES_PER_PORT routes: its patterns always, normalised routes in the order first
 * seen while there is room; the requests of further routes go to OTHER_ROUTE, so 10,000 distinct
 * paths cost at most MAX_ROUTES_PER_PORT routes and RECENT_PATHS_PER_PORT remembered paths per port. A route once given is kept for as long
 * as the agent runs (the stored history uses it); the routes stored in the database are handed
 * back at start (`remember`), so a restart groups as before. A config that gives a port new
 * patterns after its room filled may take it past the bound by those patterns until a restart.
 */
export class RouteGrouper {
  private readonly ports = new Map<number, PortRoutes>();
  private config: TcprtConfig | null = null;

  /** Rules may have new patterns: ports look theirs up again, keeping the routes they hold. */
  setConfig(config: TcprtConfig): void {
    this.config = config;
    for (const [port, entry] of this.ports) {
      entry.patterns = this.patternsOf(port);
      entry.recent.clear();
    }
  }

  /** A route stored by an earlier run, admitted while its port has room (most recent first). */
  remember(port: number, route: string): void {
    const entry = this.entryOf(port);
    if (entry.routes.size < MAX_ROUTES_PER_PORT - this.unheldPatterns(entry))
      entry.routes.add(route);
  }

  /** The route of a request to local port `port`. */
  routeOf(port: number, http: HttpExchange): string {
    if (http.path === '') return OTHER_ROUTE;
    const entry = this.entryOf(port);
    if (http.pathTruncated) return this.group(entry, http);
    let route = entry.recent.get(http.path);
    if (route === undefined) {
      route = this.group(entry, http);
      if (entry.recent.size >= RECENT_PATHS_PER_PORT) entry.recent.clear();
      entry.recent.set(http.path, route);
    }
    return route;
  }

  private group(entry: PortRoutes, http: HttpExchange): string {
    const pattern = matchRoutePattern(entry.patterns, http.path, http.pathTruncated);
    if (pattern !== null) {
      entry.routes.add(pattern);
      return pattern;
    }
    const route = normalisePath(http.path, http.pathTruncated);
    if (entry.routes.has(route)) return route;
    if (entry.routes.size >= MAX_ROUTES_PER_PORT - this.unheldPatterns(entry)) return OTHER_ROUTE;
    entry.routes.add(route);
    return route;
  }

  /** Routes held for a port (tests, and the bound's proof). */
  routeCount(port: number): number {
    return this.ports.get(port)?.routes.size ?? 0;
  }

  /** Room kept for patterns that have no request yet. */
  private unheldPatterns(entry: PortRoutes): number {
    let n = 0;
    for (const p of entry.patterns) if (!entry.routes.has(p.route)) n++;
    return n;
  }

  private entryOf(port: number): PortRoutes {
    let entry = this.ports.get(port);
    if (!entry) {
      entry = { patterns: this.patternsOf(port), routes: new Set(), recent: new Map() };
      this.ports.set(port, entry);
    }
    return entry;
  }

  private patternsOf(port: number): RoutePattern[] {
    if (!this.config) return [];
    // Port -1 on the peer side matches no peer rule: only local rules answer.
    const match = matchRule(this.config, { localPort: port, peerPort: -1 });
    const routes = match && !match.peer ? match.rule.routes : undefined;
    return routes ? compileRoutePatterns(routes) : [];
  }
}
