import type { Db } from '../database';

/** The routes stored for each local port, the most recently seen first (http_routes, migration 0004). */
export function storedRoutes(db: Db): { port: number; route: string }[] {
  return db
    .prepare<[], { port: number; route: string }>(
      'SELECT port, route FROM http_routes ORDER BY last_seen_ms DESC, route',
    )
    .all();
}
