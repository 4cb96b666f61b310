/* SPDX-License-Identifier: GPL-2.0 */
/* Checks that say clearly why the collector cannot run, before libbpf says it obscurely. */
#ifndef TCPRT_LOADER_PREFLIGHT_H
#define TCPRT_LOADER_PREFLIGHT_H

#include <stddef.h>

/* Each returns 0, or prints the reason on stderr and returns -1. */
int preflight_root(void);
int preflight_btf(void);
/* Writes the cgroup v2 mount point (from /proc/mounts) to path. */
int preflight_find_cgroup2(char *path, size_t size);

#endif
