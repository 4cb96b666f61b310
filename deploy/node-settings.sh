# How Node runs tcprt, sourced by both launchers: apps/agent/bin/tcprt in the repository and
# deploy/deb/tcprt, which the package installs as /usr/bin/tcprt beside /usr/lib/tcprt/node-settings.sh.
# Figures: docs/benchmarks.md, "Agent ingest".

# Two malloc arenas instead of one per thread that allocates (8 per core): the agent's threads
# (main, SQLite writer, config validator, libuv's) otherwise keep ~17 MB more resident at 5k records/s.
MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
export MALLOC_ARENA_MAX

# V8 grows each thread's young generation up to two 16 MiB semi-spaces, all of it resident, even
# at a few thousand records a second. Two of 8 MiB hold the agent's short-lived objects at 200k
# records/s; 4 MiB saved little more and cost CPU per record, as smaller young generations
# promote live batches into the old one.
tcprt_node_flags=--max-semi-space-size=8
