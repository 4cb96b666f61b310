/* SPDX-License-Identifier: GPL-2.0 */
/* Checks that say clearly why the collector cannot run, before libbpf says it obscurely. */
#ifndef TCPRT_LOADER_PREFLIGHT_H
#define TCPRT_LOADER_PREFLIGHT_H

#include <stdbool.h>
#include <stddef.h>

/* Each returns 0, or prints the reason on stderr and returns -1. */
int preflight_root(void);
int preflight_btf(void);
/* Writes the cgroup v2 mount point (from /proc/mounts) to path. */
int preflight_find_cgroup2(char *path, size_t size);

/*
 * Whether the verifier accepts BPF compare-and-swap and exchange (kernel 5.12+), which the
 * per-CPU batches need (bpf/ring.h): asks the kernel by loading a tiny program that uses both,
 * never by version number (distributions backport).
 */
bool preflight_bpf_atomics(void);

#endif
