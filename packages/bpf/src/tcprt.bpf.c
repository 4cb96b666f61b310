// SPDX-License-Identifier: GPL-2.0
/*
 * tcprt kernel programs: the hooks that feed the task state machine (bpf/task.h).
 *
 *   sockops (cgroup v2 root)  established → rule match, socket storage, callback flags;
 *                             header-parse → incoming segments outside ESTABLISHED state;
 *                             header-option length → default-mode clients: outgoing segments;
 *                             state change to CLOSE → final records.
 *   tp_btf/tcp_probe          incoming segments in ESTABLISHED state (fast path included),
 *                             before the kernel processes them.
 *   cgroup_skb/egress         http/https mode only: outgoing segments with their sequence
 *                             numbers and payload.
 *   cgroup_skb/ingress        http/https mode: incoming request lines and request ends (http),
 *                             TLS records (https), before tcp_probe.
 *                             Both cgroup_skb programs always let the packet through; the loader
 *                             attaches them only once a rule needs them.
 *   raw_tp (never attached)   run by the loader for each batch of entries: into the ring
 *                             buffer (bpf/ring.h).
 */
#include <vmlinux.h> /* pinned per architecture: src/vmlinux/<arch>/ (Makefile) */
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#include "tcprt.h"
#include "bpf/conn.h"
#include "bpf/maps.h"
#include "bpf/rules.h"
#include "bpf/task.h"
#include "bpf/http.h"
#include "bpf/skb.h"

#define AF_INET 2
#define AF_INET6 10
#define TCPHDR_FIN 0x01
#define TCPHDR_SYN 0x02
#define TCPHDR_ACK 0x10
#define CGROUP_SKB_PASS 1

char LICENSE[] SEC("license") = "GPL";

static __always_inline void copy_ip6(__u8 *dst, __u32 w0, __u32 w1, __u32 w2, __u32 w3)
{
	__u32 words[4] = { w0, w1, w2, w3 };

	__builtin_memcpy(dst, words, sizeof(words));
}

/* The segment a sockops callback is looking at (skb_data starts at the TCP header). */
static __always_inline bool segment_from_sockops(struct bpf_sock_ops *skops, struct segment_in *s)
{
	struct tcphdr *th = (void *)(long)skops->skb_data;
	void *end = (void *)(long)skops->skb_data_end;
	__u32 header_len, payload_len, skb_len = skops->skb_len;

	if ((void *)(th + 1) > end)
		return false;
	header_len = th->doff * 4;
	payload_len = skb_len > header_len ? skb_len - header_len : 0;
	s->seq = bpf_ntohl(th->seq) + th->syn;
	s->data_end = s->seq + payload_len;
	s->ack_seq = bpf_ntohl(th->ack_seq);
	s->has_ack = th->ack;
	s->fin = th->fin;
	return true;
}

static __always_inline void segment_in_from_sockops(struct bpf_sock_ops *skops, struct bpf_sock *sk,
						    struct conn *c)
{
	struct tcp_sock *tp = bpf_skc_to_tcp_sock(sk);
	struct segment_in s;

	if (tp && segment_from_sockops(skops, &s))
		on_segment_in(c, tp, &s);
}

static __always_inline void on_established(struct bpf_sock_ops *skops, struct bpf_sock *sk)
{
	__u16 local_port = skops->local_port;
	__u16 remote_port = bpf_ntohl(skops->remote_port);
	struct tcprt_ring_conn *entry;
	struct match m;
	struct conn *c;
	int flags;

	if (!match_rules(local_port, remote_port, &m))
		return;
	c = bpf_sk_storage_get(&conns, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (!c) {
		count(TCPRT_LOST_STORAGE_ALLOC);
		return;
	}
	__builtin_memset(c, 0, sizeof(*c));
	c->conn_id = bpf_get_socket_cookie(skops);
	c->batch = bpf_get_smp_processor_id();
	c->side = c->id.side = m.side;
	c->mode = c->id.mode = m.decision.mode;
	c->first_frame = m.decision.first_frame;
	c->id.local_port = local_port;
	c->id.remote_port = remote_port;
	if (skops->family == AF_INET6) {
		c->id.family = 6;
		copy_ip6(c->id.local_addr, skops->local_ip6[0], skops->local_ip6[1], skops->local_ip6[2],
			 skops->local_ip6[3]);
		copy_ip6(c->id.remote_addr, skops->remote_ip6[0], skops->remote_ip6[1], skops->remote_ip6[2],
			 skops->remote_ip6[3]);
	} else {
		__u32 local_ip4 = skops->local_ip4, remote_ip4 = skops->remote_ip4;

		c->id.family = 4;
		__builtin_memcpy(c->id.local_addr, &local_ip4, 4);
		__builtin_memcpy(c->id.remote_addr, &remote_ip4, 4);
	}
	/* Without room for its identity now, its records all go whole: nothing is lost for it. */
	entry = bpf_ringbuf_reserve(&records, sizeof(*entry), 0);
	if (entry) {
		conn_entry_fill(entry, c);
		bpf_ringbuf_submit(entry, wakeup_flag());
		c->named = 1;
	}
	c->conn_snd_start = c->snd_high = skops->snd_nxt;
	c->conn_rcv_start = skops->rcv_nxt;
	tls_conn_init(&c->tls, c->conn_rcv_start, c->conn_snd_start);
	flags = skops->bpf_sock_ops_cb_flags | BPF_SOCK_OPS_STATE_CB_FLAG | BPF_SOCK_OPS_PARSE_ALL_HDR_OPT_CB_FLAG;
	/*
	 * Default mode needs no payload. A client's requests are seen in this socket's own transmit
	 * callback instead of egress; a server's responses need no callback at all (task.h:
	 * catch_up_response_start).
	 */
	if (c->mode == TCPRT_MODE_DEFAULT && c->side == TCPRT_SIDE_PEER)
		flags |= BPF_SOCK_OPS_WRITE_HDR_OPT_CB_FLAG;
	bpf_sock_ops_cb_flags_set(skops, flags);
	count(TCPRT_CONNS_TRACKED);
	/* The segment that completes a passive handshake may already carry the first request. */
	segment_in_from_sockops(skops, sk, c);
}

SEC("sockops")
int tcprt_sockops(struct bpf_sock_ops *skops)
{
	struct bpf_sock *sk = skops->sk;
	struct tcp_sock *tp;
	struct conn *c;
	int old_state, new_state;

	if (!sk)
		return 1;
	if (skops->op == BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB || skops->op == BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB) {
		on_established(skops, sk);
		return 1;
	}
	/*
	 * The header-option length callback runs for every segment a default-mode client transmits
	 * (skb_len is its payload: the header is not built yet) and for MSS queries (no skb,
	 * skb_len 0); only payload matters. Reserving no option space leaves the segment as it was.
	 */
	if (skops->op == BPF_SOCK_OPS_HDR_OPT_LEN_CB && !skops->skb_len)
		return 1;
	c = bpf_sk_storage_get(&conns, sk, 0, 0);
	if (!c)
		return 1;
	switch (skops->op) {
	case BPF_SOCK_OPS_PARSE_HDR_OPT_CB:
		/* ESTABLISHED segments are seen by tcp_probe, fast path included. */
		if (skops->state != BPF_TCP_ESTABLISHED)
			segment_in_from_sockops(skops, sk, c);
		break;
	case BPF_SOCK_OPS_HDR_OPT_LEN_CB:
		tp = bpf_skc_to_tcp_sock(sk);
		if (tp)
			on_request_transmit(c, tp);
		break;
	case BPF_SOCK_OPS_STATE_CB:
		/* One read of the context each: clang may otherwise offset the ctx pointer, which the verifier rejects. */
		old_state = skops->args[0];
		new_state = skops->args[1];
		tp = bpf_skc_to_tcp_sock(sk);
		if (!tp)
			break;
		on_state_change(c, tp, new_state);
		if (new_state == BPF_TCP_CLOSE)
			on_close(c, tp, old_state);
		break;
	}
	return 1;
}

SEC("tp_btf/tcp_probe")
int BPF_PROG(tcprt_tcp_probe, struct sock *sk, const struct sk_buff *skb)
{
	struct conn *c = bpf_sk_storage_get(&conns, sk, 0, 0);
	const char *cb = (const char *)skb->cb;
	struct segment_in s;
	struct tcp_sock *tp;
	__u16 flags;

	if (!c)
		return 0;
	tp = bpf_skc_to_tcp_sock(sk);
	if (!tp)
		return 0;
	/*
	 * tcp_v4_rcv/tcp_v6_rcv filled the control block (struct tcp_skb_cb in skb->cb) from the
	 * header before this point. Plain loads from the trusted skb: no helper call per segment.
	 */
	flags = *(const __u16 *)(cb + bpf_core_field_offset(struct tcp_skb_cb, tcp_flags));
	s.seq = *(const __u32 *)(cb + bpf_core_field_offset(struct tcp_skb_cb, seq)) + !!(flags & TCPHDR_SYN);
	s.data_end = *(const __u32 *)(cb + bpf_core_field_offset(struct tcp_skb_cb, end_seq)) - !!(flags & TCPHDR_FIN);
	s.ack_seq = *(const __u32 *)(cb + bpf_core_field_offset(struct tcp_skb_cb, ack_seq));
	s.has_ack = flags & TCPHDR_ACK;
	s.fin = flags & TCPHDR_FIN;
	on_segment_in(c, tp, &s);
	return 0;
}

/* A reset arrived; the kernel closes the socket right after (tcp_reset → tcp_done). */
SEC("tp_btf/tcp_receive_reset")
int BPF_PROG(tcprt_receive_reset, struct sock *sk)
{
	struct conn *c = bpf_sk_storage_get(&conns, sk, 0, 0);
	struct tcp_sock *tp;

	if (!c)
		return 0;
	tp = bpf_skc_to_tcp_sock(sk);
	if (tp)
		close_event_now(c, tp, TCPRT_CLOSE_RST_IN);
	return 0;
}

/*
 * Payload facts that belong to the task being answered: the status line of its response's first
 * segment (http: kept for its record; an interim 100 line is extension C), a close_notify.
 */
static __always_inline __u8 outgoing_extensions(struct __sk_buff *skb, struct conn *c, const struct skb_segment *s)
{
	__u8 extensions = 0;

	if (c->side != TCPRT_SIDE_LOCAL)
		return 0;
	if (c->mode == TCPRT_MODE_HTTP && c->stage == STAGE_REQUEST) {
		c->http.status = http_status(skb, s->payload_offset);
		if (c->http.status == HTTP_STATUS_CONTINUE)
			extensions |= TCPRT_EXT_C;
	}
	if (c->mode == TCPRT_MODE_HTTPS &&
	    (tls_walk(skb, &c->tls, false, s->payload_offset, s->seq, s->payload_len) & TLS_OUT_CLOSE_NOTIFY)) {
		extensions |= TCPRT_EXT_A;
		c->close.protocol_end |= TCPRT_END_TLS_CLOSE_NOTIFY_OUT;
	}
	return extensions;
}

SEC("cgroup_skb/egress")
int tcprt_egress(struct __sk_buff *skb)
{
	struct conn *c = NULL;
	struct skb_segment s;
	struct tcp_sock *tp;
	struct bpf_sock *sk;

	sk = skb_tracked_sock(skb, &c);
	/* Default-mode connections: servers need no outgoing segment, clients see theirs in sockops. */
	if (!sk || !c || c->mode == TCPRT_MODE_DEFAULT || !skb_tcp_segment(skb, &s) || s.syn || s.payload_len == 0)
		return CGROUP_SKB_PASS;
	tp = bpf_skc_to_tcp_sock(sk);
	if (tp)
		on_segment_out(c, tp, s.seq, s.payload_len, outgoing_extensions(skb, c, &s));
	return CGROUP_SKB_PASS;
}

/*
 * Incoming payload of http/https servers: the TLS record walk (bpf/tls.h); a request line, and the
 * end of an HTTP request's headers (bpf/http.h). Timing stays with tcp_probe, which sees the
 * segment after this program, under the socket lock; the facts are kept by sequence number.
 */
SEC("cgroup_skb/ingress")
int tcprt_ingress(struct __sk_buff *skb)
{
	struct conn *c = NULL;
	struct skb_segment s;
	struct tcp_sock *tp;
	struct bpf_sock *sk;

	sk = skb_tracked_sock(skb, &c);
	if (!sk || !c || c->mode == TCPRT_MODE_DEFAULT || c->side != TCPRT_SIDE_LOCAL || c->closed ||
	    !skb_tcp_segment(skb, &s) || s.syn || !s.payload_len)
		return CGROUP_SKB_PASS;
	if (c->mode == TCPRT_MODE_HTTPS) {
		tls_walk(skb, &c->tls, true, s.payload_offset, s.seq, s.payload_len);
		return CGROUP_SKB_PASS;
	}
	/* A segment that will start a task (bpf/http.h: read without the socket lock). */
	if (c->stage != STAGE_REQUEST) {
		tp = bpf_skc_to_tcp_sock(sk);
		if (tp && s.seq == tp->rcv_nxt)
			http_read_request(skb, http_next_request(&c->http), s.payload_offset, s.payload_len, s.seq);
	}
	if (http_ends_headers(skb, s.payload_offset, s.payload_len))
		c->http_request_end = s.seq + s.payload_len;
	return CGROUP_SKB_PASS;
}

/*
 * Run by the loader for each batch (its index in ctx[0]), every drain round: its entries into
 * the ring buffer. The build without atomics has no batches (bpf/ring.h): nothing to flush.
 */
SEC("raw_tp")
int tcprt_flush(__u64 *ctx)
{
#ifdef TCPRT_NO_ATOMICS
	(void)ctx;
	return 0;
#else
	struct ring_batch *b = batch_claim(ctx[0]);

	if (!b)
		return TCPRT_FLUSH_BATCH_TAKEN;
	batch_flush(b);
	batch_release(b);
	return 0;
#endif
}
