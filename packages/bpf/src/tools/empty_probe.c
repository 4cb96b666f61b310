// SPDX-License-Identifier: GPL-2.0
/*
 * tcprt-empty-probe: attaches the empty tcp_probe program (empty_probe.bpf.c), prints its program
 * id, and detaches when stdin closes. Used by scripts/bench/overhead to measure the accounting
 * cost per program run on the machine at hand. Needs root.
 */
#include <stdio.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "empty_probe.skel.h"

int main(void)
{
	struct empty_probe *skel = empty_probe__open_and_load();
	struct bpf_prog_info info = { 0 };
	__u32 info_len = sizeof(info);
	char byte;
	int status = 1;

	if (!skel) {
		fprintf(stderr, "tcprt-empty-probe: cannot load the program (root and BTF are needed)\n");
		return 1;
	}
	if (empty_probe__attach(skel)) {
		fprintf(stderr, "tcprt-empty-probe: cannot attach tp_btf/tcp_probe\n");
		goto out;
	}
	if (bpf_obj_get_info_by_fd(bpf_program__fd(skel->progs.empty_tcp_probe), &info, &info_len)) {
		fprintf(stderr, "tcprt-empty-probe: cannot read the program id\n");
		goto out;
	}
	printf("%u\n", info.id);
	fflush(stdout);
	while (read(STDIN_FILENO, &byte, 1) > 0)
		;
	status = 0;
out:
	empty_probe__destroy(skel);
	return status;
}
