/* SPDX-License-Identifier: GPL-2.0 */
/* Which build of the kernel programs this kernel gets (bpf/ring.h). */
#ifndef TCPRT_LOADER_PROGRAMS_H
#define TCPRT_LOADER_PROGRAMS_H

#include <stdbool.h>
#include "tcprt.h"
#include "tcprt.skel.h"

/* Setting this environment variable to 1 forces the build without atomics (for its tests). */
#define PROGRAMS_FORCE_NO_ATOMICS_ENV "TCPRT_FORCE_NO_ATOMICS"

/*
 * Opens the programs with per-CPU batches when the kernel accepts BPF atomics, else the build
 * that writes every entry straight into the ring buffer; *ring_path says which. NULL with errno
 * set when the object cannot be opened.
 */
struct tcprt *programs_open(enum tcprt_ring_path *ring_path);

/* For messages: "per-CPU batches" or "direct to the ring buffer (...)". */
const char *programs_ring_path_name(enum tcprt_ring_path ring_path);

#endif
