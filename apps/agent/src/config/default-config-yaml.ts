/** Written to the config path on first start when no file exists: the defaults, explained. */
export const DEFAULT_CONFIG_YAML = `# tcprt agent configuration. The agent watches this file: a valid edit applies at once,
# an invalid one is rejected (see \`tcprt status\`) and the last good config keeps running.

global:
  # true: rules match the remote (peer) port of client-side connections unless a rule says otherwise.
  peer: false
  # enable: one stats line per port every stats_interval seconds (raw stats file and history).
  stats: disable
  stats_interval: 60
  # Response byte counts whose first acknowledgement time R.F records report (up to four, 0 = unused).
  first_frame_bytes: []

# Which connections to track, first match wins; empty: nothing is tracked. For example:
#   - port: 80
#     mode: http          # default | http | https
#     routes: ['/users/{id}/orders']   # optional: explicit endpoint groups (http, https)
#   - port: 6379,6380     # inclusive range
#     peer: true          # match the remote port (client side)
per-port: []

# Bounds of the raw files in the data directory: at most num × size bytes each, oldest part dropped first.
init:
  log_buf_num: 8
  log_buf_size: 262144
  stats_buf_num: 8
  stats_buf_size: 16384
`;
