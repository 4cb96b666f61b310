-- Verdicts (DESIGN §7): how each connection ended and where each download's time went. Kernel
-- details that no log line carries; NULL in rows written before this migration and in rows whose
-- record has no such detail. Old databases upgrade in place: existing rows keep their values.

-- E rows: the close reason (packages/schema close-detail.ts CLOSE_REASONS) and the close detail.
ALTER TABLE records ADD COLUMN close_reason TEXT;
ALTER TABLE records ADD COLUMN close_json TEXT;
-- R and W rows of the server side whose download the kernel's chronographs saw: the chronographs
-- (download_json) and the split they give (download-limits.ts), in ‰ and bytes/s, to sort by.
ALTER TABLE records ADD COLUMN download_json TEXT;
ALTER TABLE records ADD COLUMN receiver_limited_permille INTEGER;
ALTER TABLE records ADD COLUMN network_limited_permille INTEGER;
ALTER TABLE records ADD COLUMN application_limited_permille INTEGER;
ALTER TABLE records ADD COLUMN download_bytes_per_sec INTEGER;

-- Download time of the port's tasks split by what held it back (download-limits.ts), summed:
-- the trends' shares are each sum over their total.
ALTER TABLE rollups ADD COLUMN sum_receiver_limited_us INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollups ADD COLUMN sum_network_limited_us INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollups ADD COLUMN sum_application_limited_us INTEGER NOT NULL DEFAULT 0;

-- Connections closed per close reason (E rows with a close detail), one column per reason.
ALTER TABLE rollups ADD COLUMN closes_normal INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollups ADD COLUMN closes_peer_gave_up INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollups ADD COLUMN closes_reset_by_peer INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollups ADD COLUMN closes_reset_by_local INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollups ADD COLUMN closes_timed_out INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollups ADD COLUMN closes_closed_while_sending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollups ADD COLUMN closes_closed_while_receiving INTEGER NOT NULL DEFAULT 0;
