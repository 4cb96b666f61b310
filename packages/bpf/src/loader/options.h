/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The loader's command line, every option in one place:
 *
 *   --ringbuf-bytes N        size of the kernel's ring buffer: a power of two, at least 4096
 *                            (default 4 MiB)
 *   --health-interval-ms N   how often a health frame goes out (default 1000)
 *   --cgroup PATH            the cgroup v2 directory to attach to (default: the cgroup v2 mount)
 *   --output frames|lines    what stdout carries (output.h; default frames)
 *   --frames-fd N            lines mode only, and required there: the fd of the frame stream
 *   --verbose                libbpf's debug output on stderr
 */
#ifndef TCPRT_LOADER_OPTIONS_H
#define TCPRT_LOADER_OPTIONS_H

#include <stdbool.h>

#include "loader/output.h"

struct loader_options {
	unsigned long ringbuf_bytes;
	unsigned long health_interval_ms;
	const char *cgroup_path; /* NULL: the cgroup v2 mount */
	enum output_mode output;
	int frames_fd; /* -1 when not given */
	bool verbose;
};

/* 0, or -1 after printing what is wrong (and the usage) on stderr: the loader then exits 2. */
int options_parse(int argc, char **argv, struct loader_options *o);

#endif
