/* SPDX-License-Identifier: GPL-2.0 */
/* Per-connection state kept in socket storage, and the TCP counters the state machine reads. */
#ifndef TCPRT_BPF_CONN_H
#define TCPRT_BPF_CONN_H

#include "seq.h"
#include "tls.h"
#include "first_frame.h"
#include "chrono.h"
#include "http.h"

enum task_stage {
	STAGE_NONE = 0,     /* no request yet (or a server greeting: not a task) */
	STAGE_REQUEST = 1,  /* local: receiving a request; peer: sending a request */
	STAGE_RESPONSE = 2, /* local: sending the response; peer: receiving it */
};

/*
 * Laid out by who writes what, in cache lines. Socket storage puts the value 8 bytes into a
 * cache-line-aligned element, so the first 56 bytes share one line. A task can move between two
 * CPUs: incoming data is seen in softirq (tcp_probe), often on the peer's or NIC's CPU, and where
 * outgoing data is seen as it leaves (egress in http/https mode, a client's transmit callback)
 * that runs on the sending application's CPU. Everything the sending side reads or writes is in
 * that first line, so one line changes hands per direction; the identity and the times only the
 * receive side writes live further on.
 */
struct conn {
	/* the line both sides use for every task */
	__u8 side; /* enum tcprt_side */
	__u8 mode; /* enum tcprt_mode */
	__u8 stage; /* enum task_stage */
	__u8 closed;
	__u8 fin_in;     /* the peer sent a FIN, at sequence fin_in_seq */
	__u8 fin_queued; /* our FIN is in write_seq (we shut down sending) */
	__u8 reorder;
	__u8 first_frame;
	__u32 task_snd_start; /* first sequence the task writes */
	__u32 task_rcv_start; /* first sequence the task receives */
	__u32 fin_in_seq;
	__u32 snd_high; /* egress (http/https): end of the newest data sent, to tell new data from retransmits */
	__u32 request_bytes; /* local: fixed at T2; peer: fixed at the first response byte */
	__u8 named;          /* its identity went into the ring: compact task entries can name it */
	__u16 batch;         /* where its entries gather (bpf/ring.h): the CPU it was established on */
	__u64 t2_ns;
	__u32 conn_snd_start; /* snd_nxt at establishment: first data byte we send */
	__u32 request_num;
	__u32 last_ack_seq; /* snd_una when T3 last moved (local mode) */
	__u32 task_retrans_start;

	/*
	 * identity (side and mode are also in the first line, which every event reads), and the
	 * times only the receive side writes
	 */
	struct tcprt_conn_identity id;
	__u64 t0_ns, t1_ns, t3_ns;

	__u32 conn_rcv_start; /* rcv_nxt at establishment: first data byte we receive */
	__u32 conn_id;        /* names the connection in compact ring entries (tcprt.h) */

	/* http/https modes (V7, extensions.h) */
	__u8 task_extensions;   /* enum tcprt_extension bits known so far for the current task */
	__u64 handshake_end_ns; /* TLS 1.3: the client's Finished arrived (0: not in this task) */
	struct first_frame_progress first_frame_progress;
	struct tls_conn tls;

	/* How the connection ends (close.h), filled in as it happens. */
	struct tcprt_close close;
	__u8 server_first;        /* we sent data before the first request (a MySQL greeting) */
	__u32 http_request_end;   /* http: end of the newest client segment that ended with a blank line */
	__u32 close_notify_in_seq; /* https: where the client's close_notify (as it looks) started */
	__u64 close_notify_in_ns;  /* ... when it arrived; 0: none pending */
	__u64 reset_in_ns;         /* when a reset arrived (0: none): the close's time for its records */
	struct chrono_snapshot chrono_at_task_start; /* local side */

	/* http mode, server side: the request and status lines (http.h). Last: other modes never touch it. */
	struct http_conn http;
};
_Static_assert(__builtin_offsetof(struct conn, id) == 56 && __builtin_offsetof(struct conn, conn_id) == 124,
	       "struct conn: the shared line is 56 bytes, identity and receive times the next 64");

/*
 * The sequence numbers every event needs, read once per event. The rest of the socket (RTT,
 * window, retransmissions) is read through `tp` only where a task starts or a record is written:
 * ACKs and response segments then touch no cache line the kernel's own path leaves alone.
 */
struct tcp_view {
	const struct tcp_sock *tp;
	__u32 write_seq; /* end of what the application handed to TCP */
	__u32 snd_nxt;
	__u32 snd_una;
	__u32 rcv_nxt;
};

static __always_inline void tcp_view_read(const struct tcp_sock *tp, struct tcp_view *v)
{
	v->tp = tp;
	v->write_seq = tp->write_seq;
	v->snd_nxt = tp->snd_nxt;
	v->snd_una = tp->snd_una;
	v->rcv_nxt = tp->rcv_nxt;
}

static __always_inline bool view_out_of_order(const struct tcp_view *v)
{
	return v->tp->out_of_order_queue.rb_node != NULL;
}

static __always_inline __u32 view_srtt_us(const struct tcp_view *v)
{
	return v->tp->srtt_us >> 3; /* the kernel keeps srtt scaled by 8 */
}

/*
 * End of the data we sent, where "sent" means handed to TCP by the application (write_seq, less
 * our FIN). Not snd_nxt: a reader that stops reading closes the window, every byte on the wire
 * gets acknowledged, and the rest of the response waits in the send queue — that response is
 * still being sent (W), not finished (R).
 */
static __always_inline __u32 data_end_out(const struct conn *c, const struct tcp_view *v)
{
	return v->write_seq - c->fin_queued;
}

/* End of the data we received: rcv_nxt, less the peer's FIN once it has been taken in. */
static __always_inline __u32 data_end_in(const struct conn *c, const struct tcp_view *v)
{
	if (c->fin_in && seq_after(v->rcv_nxt, c->fin_in_seq))
		return c->fin_in_seq;
	return v->rcv_nxt;
}

#endif
