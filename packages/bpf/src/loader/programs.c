// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "loader/preflight.h"
#include "loader/programs.h"
#include "tcprt_direct.skel.h"

static bool forced_no_atomics(void)
{
	const char *value = getenv(PROGRAMS_FORCE_NO_ATOMICS_ENV);

	return value && strcmp(value, "1") == 0;
}

/*
 * Both builds come from one source (tcprt.bpf.c), so they have the same maps, programs and
 * globals: tcprt.skel.h's skeleton opens either, given the other build's ELF bytes.
 */
struct tcprt *programs_open(enum tcprt_ring_path *ring_path)
{
	struct tcprt *skel = calloc(1, sizeof(*skel));
	int err;

	if (!skel) {
		errno = ENOMEM;
		return NULL;
	}
	*ring_path = !forced_no_atomics() && preflight_bpf_atomics() ? TCPRT_RING_BATCHED : TCPRT_RING_DIRECT;
	err = tcprt__create_skeleton(skel);
	if (!err && *ring_path == TCPRT_RING_DIRECT)
		skel->skeleton->data = (void *)tcprt_direct__elf_bytes(&skel->skeleton->data_sz);
	if (!err)
		err = bpf_object__open_skeleton(skel->skeleton, NULL);
	if (err) {
		tcprt__destroy(skel);
		errno = -err;
		return NULL;
	}
	return skel;
}

const char *programs_ring_path_name(enum tcprt_ring_path ring_path)
{
	return ring_path == TCPRT_RING_BATCHED ? "per-CPU batches"
					       : "direct to the ring buffer (no per-CPU batches: BPF atomics "
						 "missing or " PROGRAMS_FORCE_NO_ATOMICS_ENV "=1)";
}
