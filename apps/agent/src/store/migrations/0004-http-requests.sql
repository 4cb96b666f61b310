-- HTTP requests (issue 20): R and W rows of http-mode ports keep what the kernel saw of their
-- request line and status line, and the route (endpoint group) the agent put the request in
-- (../endpoints/route-grouper.ts). NULL in rows written before this migration and in rows of
-- other ports. Old databases upgrade in place: existing rows keep their values.
ALTER TABLE records ADD COLUMN http_method TEXT;
-- The request target up to '?' or '#', at most HTTP_PATH_MAX_BYTES; '' when unreadable.
ALTER TABLE records ADD COLUMN http_path TEXT;
ALTER TABLE records ADD COLUMN http_path_truncated INTEGER;
ALTER TABLE records ADD COLUMN http_route TEXT;
-- The response's status code; NULL when no status line was seen.
ALTER TABLE records ADD COLUMN http_status INTEGER;

-- Serves a port's endpoints over a window (port + time range → group by method and route) from
-- the index alone, and the task filters by method, route and status on a port. Only rows with a
-- request are in it, so ingest of other ports pays nothing; it is appended to in nearly sorted
-- order (the few server ports, then time) like records_by_local_port.
CREATE INDEX records_by_http_route ON records (
  local_port, start_us, http_route, http_method, http_status, kind, bytes_sent,
  total_us, upload_us, process_us, download_us
) WHERE http_route IS NOT NULL;

-- The routes each local port's requests were grouped under, so a restarted agent groups as before
-- (at most MAX_ROUTES_PER_PORT per port are taken back, the most recently seen first).
CREATE TABLE http_routes (
  port          INTEGER NOT NULL,
  route         TEXT    NOT NULL,
  first_seen_ms INTEGER NOT NULL,
  last_seen_ms  INTEGER NOT NULL,
  PRIMARY KEY (port, route)
) WITHOUT ROWID;
