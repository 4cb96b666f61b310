-- The processes seen serving each port (port-services/): for a local port the listener, for a peer
-- port the local caller. One row per port, side and process identity (name, systemd unit,
-- container id; '' when none), so a server restarted under a new pid updates its row (pid, command,
-- last_seen_ms) and keeps its name in history, while another program taking the port adds a row.
CREATE TABLE port_services (
  port          INTEGER NOT NULL,
  peer          INTEGER NOT NULL,
  process       TEXT    NOT NULL,
  unit          TEXT    NOT NULL,
  container     TEXT    NOT NULL,
  pid           INTEGER NOT NULL,
  command       TEXT    NOT NULL,
  cgroup        TEXT,
  first_seen_ms INTEGER NOT NULL,
  last_seen_ms  INTEGER NOT NULL,
  PRIMARY KEY (port, peer, process, unit, container)
) WITHOUT ROWID;
