-- Every record the collector delivered. Columns a record type lacks are NULL; `extra_json` holds the
-- V7-only fields (srtt, cwnd, extensions, handshake, first-frame steps) so the log line rebuilds exactly.
CREATE TABLE records (
  id             INTEGER PRIMARY KEY,
  connection_id  INTEGER NOT NULL,
  kind           TEXT    NOT NULL,
  version        INTEGER NOT NULL,
  start_us       INTEGER NOT NULL,
  peer_addr      TEXT    NOT NULL,
  peer_port      INTEGER NOT NULL,
  local_addr     TEXT    NOT NULL,
  local_port     INTEGER NOT NULL,
  task_num       INTEGER NOT NULL,
  total_us       INTEGER,
  upload_us      INTEGER,
  process_us     INTEGER,
  download_us    INTEGER,
  bytes_sent     INTEGER,
  bytes_received INTEGER,
  bytes_unacked  INTEGER,
  retrans        INTEGER,
  min_rtt_us     INTEGER,
  mss            INTEGER,
  reorder        INTEGER,
  extra_json     TEXT
);
-- Each index is appended to in nearly sorted order at ingest (time, the few server ports,
-- growing connection ids). Peer ports and durations are not indexed: their random order made
-- every insert touch a random B-tree page; such filters scan the time window instead.
CREATE INDEX records_by_start ON records (start_us);
CREATE INDEX records_by_local_port ON records (local_port, start_us);
CREATE INDEX records_by_connection ON records (connection_id, id);

-- Per port and minute (width_sec 60), 5 minutes (300) and hour (3600): sums and duration
-- histograms, so stats and close-reason charts over millions of records read a few thousand
-- small rows instead of scanning `records`. `histograms` is the encoding of store/histogram.ts.
CREATE TABLE rollups (
  width_sec          INTEGER NOT NULL,
  port               INTEGER NOT NULL,
  peer               INTEGER NOT NULL,
  start_sec          INTEGER NOT NULL,
  records            INTEGER NOT NULL,
  count              INTEGER NOT NULL,
  sum_total_us       INTEGER NOT NULL,
  sum_upload_us      INTEGER NOT NULL,
  sum_process_us     INTEGER NOT NULL,
  sum_download_us    INTEGER NOT NULL,
  sum_min_rtt_us     INTEGER NOT NULL,
  sum_bytes_sent     INTEGER NOT NULL,
  sum_bytes_received INTEGER NOT NULL,
  retrans            INTEGER NOT NULL,
  packets            INTEGER NOT NULL,
  fails              INTEGER NOT NULL,
  closes             INTEGER NOT NULL,
  closes_sending     INTEGER NOT NULL,
  closes_receiving   INTEGER NOT NULL,
  histograms         BLOB    NOT NULL,
  PRIMARY KEY (width_sec, port, peer, start_sec)
) WITHOUT ROWID;
-- Covers the close-reason and busiest-port queries, which then never read the large rows.
CREATE INDEX rollups_by_time ON rollups (width_sec, start_sec, peer, port, records, closes, closes_sending, closes_receiving);

-- Every stats line (SPEC §3) as written to the raw stats file.
CREATE TABLE stats_lines (
  id                 INTEGER PRIMARY KEY,
  at_sec             INTEGER NOT NULL,
  port               INTEGER NOT NULL,
  peer               INTEGER NOT NULL,
  avg_total_us       INTEGER NOT NULL,
  avg_process_us     INTEGER NOT NULL,
  retrans_permille   INTEGER NOT NULL,
  avg_min_rtt_us     INTEGER NOT NULL,
  fail_permille      INTEGER NOT NULL,
  avg_bytes_sent     INTEGER NOT NULL,
  avg_upload_us      INTEGER NOT NULL,
  avg_bytes_received INTEGER NOT NULL,
  count              INTEGER NOT NULL
);
CREATE INDEX stats_lines_by_time ON stats_lines (at_sec);
