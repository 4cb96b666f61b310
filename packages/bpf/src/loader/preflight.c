// SPDX-License-Identifier: GPL-2.0
#include <mntent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>

#include "loader/preflight.h"

#define KERNEL_BTF "/sys/kernel/btf/vmlinux"

int preflight_root(void)
{
	if (geteuid() == 0)
		return 0;
	fprintf(stderr, "tcprt-collector: must run as root (loading and attaching eBPF programs needs "
			"CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN)\n");
	return -1;
}

int preflight_btf(void)
{
	if (access(KERNEL_BTF, R_OK) == 0)
		return 0;
	fprintf(stderr, "tcprt-collector: %s is missing: this kernel has no BTF type information "
			"(CONFIG_DEBUG_INFO_BTF=y is required for CO-RE programs)\n", KERNEL_BTF);
	return -1;
}

int preflight_find_cgroup2(char *path, size_t size)
{
	FILE *mounts = setmntent("/proc/mounts", "r");
	struct mntent *m;
	int found = -1;

	if (!mounts) {
		perror("tcprt-collector: cannot read /proc/mounts");
		return -1;
	}
	while ((m = getmntent(mounts))) {
		if (strcmp(m->mnt_type, "cgroup2") == 0 && strlen(m->mnt_dir) < size) {
			strcpy(path, m->mnt_dir);
			found = 0;
			break;
		}
	}
	endmntent(mounts);
	if (found)
		fprintf(stderr, "tcprt-collector: no cgroup v2 file system is mounted (looked in /proc/mounts); "
				"mount one, e.g. mount -t cgroup2 none /sys/fs/cgroup/unified\n");
	return found;
}

/* The instruction encodings of the kernel's BPF_ATOMIC_OP (filter.h, not UAPI). */
#define ATOMIC_DW(op, dst, src, offset) \
	{ .code = BPF_STX | BPF_DW | BPF_ATOMIC, .dst_reg = (dst), .src_reg = (src), .off = (offset), .imm = (op) }

bool preflight_bpf_atomics(void)
{
	const struct bpf_insn probe[] = {
		/* *(u64 *)(r10 - 8) = 0; r0 = 0; r1 = 1 */
		{ .code = BPF_ST | BPF_DW | BPF_MEM, .dst_reg = BPF_REG_10, .off = -8, .imm = 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_1, .imm = 1 },
		/* r0 = cmpxchg(r10 - 8, r0, r1); r1 = xchg(r10 - 8, r1) */
		ATOMIC_DW(BPF_CMPXCHG, BPF_REG_10, BPF_REG_1, -8),
		ATOMIC_DW(BPF_XCHG, BPF_REG_10, BPF_REG_1, -8),
		/* return 0 */
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "tcprt_atomics", "GPL", probe,
			       sizeof(probe) / sizeof(probe[0]), NULL);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}
