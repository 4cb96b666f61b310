/* SPDX-License-Identifier: GPL-2.0 */
/* The tracked connection and the TCP segment of a cgroup_skb packet (which starts at the IP header). */
#ifndef TCPRT_BPF_SKB_H
#define TCPRT_BPF_SKB_H

struct skb_segment {
	__u32 seq;
	__u32 payload_offset; /* of the first payload byte in the packet */
	__u32 payload_len;
	bool syn;
};

/* The packet's socket (a full TCP socket) when it is a tracked connection; its state in `c`. */
static __always_inline struct bpf_sock *skb_tracked_sock(struct __sk_buff *skb, struct conn **c)
{
	struct bpf_sock *sk = skb->sk;

	if (!sk)
		return NULL;
	sk = bpf_sk_fullsock(sk);
	if (!sk || sk->protocol != IPPROTO_TCP)
		return NULL;
	*c = bpf_sk_storage_get(&conns, sk, 0, 0);
	return *c ? sk : NULL;
}

static __always_inline bool skb_tcp_segment(struct __sk_buff *skb, struct skb_segment *s)
{
	__u32 ip_header_len;
	struct tcphdr th;
	__u8 first;

	/* A v4-mapped IPv6 socket sends and receives IPv4 packets. */
	if (bpf_skb_load_bytes(skb, 0, &first, 1))
		return false;
	if (first >> 4 == 4) {
		ip_header_len = (first & 0x0f) * 4;
	} else if (first >> 4 == 6) {
		__u8 next_header;

		if (bpf_skb_load_bytes(skb, 6, &next_header, 1) || next_header != IPPROTO_TCP)
			return false;
		ip_header_len = 40;
	} else {
		return false;
	}
	if (bpf_skb_load_bytes(skb, ip_header_len, &th, sizeof(th)))
		return false;
	s->seq = bpf_ntohl(th.seq);
	s->syn = th.syn;
	s->payload_offset = ip_header_len + th.doff * 4;
	s->payload_len = skb->len - s->payload_offset;
	return s->payload_len <= skb->len;
}

#endif
