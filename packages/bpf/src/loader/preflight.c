// SPDX-License-Identifier: GPL-2.0
#include <mntent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
