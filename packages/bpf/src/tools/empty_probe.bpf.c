// SPDX-License-Identifier: GPL-2.0
/*
 * A tp_btf/tcp_probe program that does nothing. With the kernel's per-program accounting on, its
 * run time is what the accounting itself adds to every program run (the clock read inside the
 * measured interval), so a benchmark can take it off the figures of the real programs.
 */
#include <vmlinux.h> /* pinned per architecture: src/vmlinux/<arch>/ (Makefile) */
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/tcp_probe")
int BPF_PROG(empty_tcp_probe, struct sock *sk, const struct sk_buff *skb)
{
	return 0;
}
