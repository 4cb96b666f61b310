import type { Db } from '../database';

/** The routes stored for each local port, the most recently seen first (http_routes, migration 0004). */
export function storedRoutes(db: Db): { port: number; route: string }[] {
  // A database opened read-only on a full disk may predate migration 0004: no routes to hand back.
  const migrated = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'http_routes'")
    .get();
  if (!migrated) return [];
  return db
    .prepare<[], { port: number; route: string }>(
      'SELECT port, route FROM http_routes ORDER BY last_seen_ms DESC, route',
    )
    .all();
}
