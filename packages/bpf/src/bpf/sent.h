/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When the first byte of a response left (T2 of default mode's server side), without a callback
 * on every transmit: read when the next segment arrives, before the kernel processes it.
 */
#ifndef TCPRT_BPF_SENT_H
#define TCPRT_BPF_SENT_H

/*
 * The transmit time (CLOCK_MONOTONIC ns, the clock of bpf_ktime_get_ns) of the data starting at
 * `first_seq`, seen with the socket's snd_una from before the first segment that arrived since it
 * left; 0 when the socket no longer knows it.
 *
 * When everything before first_seq had been acknowledged by then (snd_una is still first_seq),
 * nothing was in flight when it left, and the kernel's delivery-rate sampling noted the time of
 * that transmission in first_tx_mstamp (µs; a retransmission does not move it). That is every
 * request/response exchange. With data before it still in flight (a client that sends its next
 * request before it has taken the whole response), first_tx_mstamp belongs to an earlier
 * transmission.
 */
static __always_inline __u64 first_sent_ns(const struct tcp_sock *tp, __u32 snd_una, __u32 first_seq)
{
	return snd_una == first_seq ? tp->first_tx_mstamp * 1000 : 0;
}

#endif
