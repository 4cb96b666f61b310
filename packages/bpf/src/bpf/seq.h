/* SPDX-License-Identifier: GPL-2.0 */
/* TCP sequence arithmetic. */
#ifndef TCPRT_BPF_SEQ_H
#define TCPRT_BPF_SEQ_H

/* a is after b (mod 2^32). */
static __always_inline bool seq_after(__u32 a, __u32 b)
{
	return (__s32)(a - b) > 0;
}

#endif
