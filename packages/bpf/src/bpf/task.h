/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TCP-RT task state machine (SPEC §1). Each function is one kind of event, called from
 * whichever hook sees that event first; all of them run under the socket lock, so the state in
 * socket storage is never updated from two places at once.
 *
 * Incoming segments are seen *before* the kernel processes them (tcp_probe, header-parse
 * callback): the segment's own sequence numbers say what it brings, and the tcp_view still holds
 * the values from before it.
 */
#ifndef TCPRT_BPF_TASK_H
#define TCPRT_BPF_TASK_H

#include "records.h"
#include "close.h"
#include "sent.h"

/* What an incoming segment carries, from its TCP header. */
struct segment_in {
	__u32 seq;
	__u32 data_end; /* seq + payload length */
	__u32 ack_seq;
	bool has_ack;
	bool fin;
};

static __always_inline void start_local_task(struct conn *c, const struct tcp_view *v, __u32 snd_una, __u64 now_ns)
{
	c->t0_ns = c->t1_ns = c->t3_ns = now_ns;
	c->t2_ns = 0;
	c->request_num += 1;
	c->task_snd_start = data_end_out(c, v);
	if (c->request_num == 1 && c->task_snd_start != c->conn_snd_start)
		c->server_first = 1;
	c->task_rcv_start = v->rcv_nxt;
	c->task_retrans_start = v->tp->total_retrans;
	chrono_read(v->tp, &c->chrono_at_task_start);
	c->last_ack_seq = snd_una;
	c->request_bytes = 0;
	c->reorder = view_out_of_order(v);
	c->stage = STAGE_REQUEST;
	/* Default mode has no extensions: their cache lines stay untouched. */
	if (c->mode == TCPRT_MODE_DEFAULT)
		return;
	if (c->mode == TCPRT_MODE_HTTP)
		http_task_start(&c->http, c->task_extensions & TCPRT_EXT_C, c->task_rcv_start);
	c->task_extensions = extensions_at_task_start(c, v->rcv_nxt);
	c->handshake_end_ns = 0;
	__builtin_memset(&c->first_frame_progress, 0, sizeof(c->first_frame_progress));
}

static __always_inline void start_peer_task(struct conn *c, const struct tcp_view *v, __u32 first_seq, __u64 now_ns)
{
	c->t0_ns = c->t1_ns = c->t3_ns = now_ns;
	c->t2_ns = 0;
	c->request_num += 1;
	c->task_snd_start = first_seq;
	c->task_rcv_start = v->rcv_nxt;
	c->task_retrans_start = v->tp->total_retrans;
	c->request_bytes = 0;
	c->reorder = 0;
	c->stage = STAGE_REQUEST;
}

static __always_inline void on_first_frame_ack(struct conn *c, const struct tcp_view *v, __u32 snd_una, __u64 now_ns)
{
	const struct tcprt_first_frame_steps *steps = first_frame_steps_get();
	__u32 sent_end = data_end_out(c, v);
	__u32 acked_end = seq_after(snd_una, sent_end) ? sent_end : snd_una; /* not our FIN */

	if (steps && seq_after(acked_end, c->task_snd_start))
		first_frame_on_ack(&c->first_frame_progress, steps, acked_end - c->task_snd_start,
				   ns_to_us(now_ns, c->t0_ns));
}

/* Returns snd_una as it will be once the kernel has processed this segment's ACK. */
static __always_inline __u32 on_ack(struct conn *c, const struct tcp_view *v, const struct segment_in *s, __u64 now_ns)
{
	__u32 snd_una = v->snd_una;

	if (s->has_ack && seq_after(s->ack_seq, snd_una) && !seq_after(s->ack_seq, v->snd_nxt))
		snd_una = s->ack_seq;
	/* T3: the last ACK that moved snd_una by more than one byte (one byte is a FIN). */
	if (c->side == TCPRT_SIDE_LOCAL && seq_after(snd_una, c->last_ack_seq + 1)) {
		c->t3_ns = now_ns;
		c->last_ack_seq = snd_una;
	}
	if (tracks_first_frame(c) && c->stage == STAGE_RESPONSE)
		on_first_frame_ack(c, v, snd_una, now_ns);
	return snd_una;
}

/*
 * The client's close_notify that was waiting (close.h) opens its task after all, where it
 * arrived; `snd_start` is where the task's sending starts.
 */
static __always_inline void close_notify_opens_task(struct conn *c, const struct tcp_view *v, __u32 snd_una,
						    __u32 snd_start, __u64 now_ns)
{
	/* The task before it sent up to snd_start (egress sees the new data already written). */
	struct tcp_view before = *v;

	before.write_seq = snd_start + c->fin_queued;
	emit_record(c, &before, TCPRT_RECORD_R, now_ns);
	start_local_task(c, v, snd_una, c->close_notify_in_ns);
	c->task_rcv_start = c->close_notify_in_seq;
	c->task_snd_start = snd_start;
	c->close_notify_in_ns = 0;
}

/*
 * Local side, after a response: new data opens the next task. A client's close_notify does not
 * (close.h); when more data follows one that could have been two bytes of data (TLS 1.3), the
 * task began with it after all.
 */
static __always_inline void next_local_task(struct conn *c, const struct tcp_view *v, const struct segment_in *s,
					    __u32 snd_una, __u64 now_ns)
{
	if (is_close_notify_in(c, s->seq, s->data_end)) {
		c->close_notify_in_ns = now_ns;
		c->close_notify_in_seq = s->seq;
		c->close.protocol_end |= TCPRT_END_TLS_CLOSE_NOTIFY_IN;
		return;
	}
	if (c->close_notify_in_ns) {
		c->close.protocol_end &= ~TCPRT_END_TLS_CLOSE_NOTIFY_IN; /* it was data */
		close_notify_opens_task(c, v, snd_una, data_end_out(c, v), now_ns);
		c->t1_ns = now_ns;
		return;
	}
	/* Bytes still unacknowledged: this segment is the client's ACK too. */
	if (seq_after(v->snd_nxt, snd_una + 1))
		c->t3_ns = now_ns;
	emit_record(c, v, TCPRT_RECORD_R, now_ns);
	start_local_task(c, v, snd_una, now_ns);
}

static __always_inline void on_data_in(struct conn *c, const struct tcp_view *v, const struct segment_in *s,
				       __u32 snd_una, __u64 now_ns)
{
	if (c->side == TCPRT_SIDE_LOCAL) {
		switch (c->stage) {
		case STAGE_RESPONSE:
			if (ends_tls13_handshake(c)) {
				c->handshake_end_ns = now_ns;
				c->tls.awaiting_client_finished = 0;
				break;
			}
			next_local_task(c, v, s, snd_una, now_ns);
			break;
		case STAGE_NONE:
			start_local_task(c, v, snd_una, now_ns);
			break;
		case STAGE_REQUEST:
			c->t1_ns = now_ns;
			if (view_out_of_order(v))
				c->reorder = 1;
			break;
		}
		return;
	}
	switch (c->stage) {
	case STAGE_REQUEST:
		c->stage = STAGE_RESPONSE;
		c->t2_ns = c->t3_ns = now_ns;
		c->request_bytes = data_end_out(c, v) - c->task_snd_start;
		c->task_rcv_start = v->rcv_nxt;
		if (view_out_of_order(v))
			c->reorder = 1;
		break;
	case STAGE_RESPONSE:
		c->t3_ns = now_ns;
		if (view_out_of_order(v))
			c->reorder = 1;
		break;
	}
}

/* New data of ours, starting at first_seq, went out at now_ns. */
static __always_inline void on_new_data_out(struct conn *c, const struct tcp_view *v, __u32 first_seq,
					    __u8 extensions, __u64 now_ns)
{
	if (c->side == TCPRT_SIDE_LOCAL) {
		/* The server answers the client's close_notify (with its own): an exchange, a task. */
		if (c->stage == STAGE_RESPONSE && c->close_notify_in_ns)
			close_notify_opens_task(c, v, v->snd_una, first_seq, now_ns);
		if (c->stage == STAGE_REQUEST) {
			c->stage = STAGE_RESPONSE;
			c->t2_ns = now_ns;
			c->request_bytes = data_end_in(c, v) - c->task_rcv_start;
		}
		if (c->stage != STAGE_NONE)
			c->task_extensions |= extensions;
		return;
	}
	switch (c->stage) {
	case STAGE_RESPONSE:
		emit_record(c, v, TCPRT_RECORD_P, now_ns);
		start_peer_task(c, v, first_seq, now_ns);
		break;
	case STAGE_NONE:
		start_peer_task(c, v, first_seq, now_ns);
		break;
	case STAGE_REQUEST:
		c->t1_ns = now_ns;
		break;
	}
}

/*
 * Default mode, server side: no callback runs when the response goes out. It has begun once
 * response bytes have been sent, which the next event of the connection (an incoming segment,
 * its close) notices before the kernel processes it, and T2 is when its first byte left
 * (sent.h).
 */
static __always_inline void catch_up_response_start(struct conn *c, const struct tcp_view *v, __u64 now_ns)
{
	__u64 sent_ns;

	if (c->mode != TCPRT_MODE_DEFAULT || c->side != TCPRT_SIDE_LOCAL || c->stage != STAGE_REQUEST ||
	    !seq_after(v->snd_nxt, c->task_snd_start) || !seq_after(data_end_out(c, v), c->task_snd_start))
		return;
	sent_ns = first_sent_ns(v->tp, v->snd_una, c->task_snd_start);
	/* Unknown (pipelined requests): the arrival that noticed it stands in, later by up to an RTT. */
	on_new_data_out(c, v, c->task_snd_start, 0, sent_ns ? sent_ns : now_ns);
}

static __always_inline void on_segment_in(struct conn *c, const struct tcp_sock *tp, const struct segment_in *s)
{
	__u64 now_ns = bpf_ktime_get_ns();
	struct tcp_view v;
	bool new_data;
	__u32 snd_una;

	if (c->closed)
		return;
	tcp_view_read(tp, &v);
	if (s->fin) {
		c->fin_in = 1;
		c->fin_in_seq = s->data_end;
	}
	catch_up_response_start(c, &v, now_ns);
	/* The kernel processes the ACK before the data of the same segment; so do we. */
	snd_una = on_ack(c, &v, s, now_ns);
	/* New in-order data: the segment starts at or before rcv_nxt and ends after it. */
	new_data = !seq_after(s->seq, v.rcv_nxt) && seq_after(s->data_end, v.rcv_nxt);
	if (new_data)
		on_data_in(c, &v, s, snd_una, now_ns);
	if (s->fin)
		close_event(c, &v, TCPRT_CLOSE_FIN_IN, snd_una, new_data ? s->data_end : data_end_in(c, &v), now_ns);
}

/*
 * An outgoing segment carrying payload [seq, seq + len), seen by cgroup_skb/egress (http and https
 * modes); `extensions` are letters its payload gives the current task (an interim 100 response,
 * a close_notify).
 */
static __always_inline void on_segment_out(struct conn *c, const struct tcp_sock *tp, __u32 seq, __u32 len,
					   __u8 extensions)
{
	__u32 end = seq + len;
	struct tcp_view v;

	if (c->closed)
		return;
	if (len == 0 || !seq_after(end, c->snd_high))
		return; /* no payload, or a retransmission */
	c->snd_high = end;
	tcp_view_read(tp, &v);
	on_new_data_out(c, &v, seq, extensions, bpf_ktime_get_ns());
}

/*
 * Default mode, client side: a segment with payload is being transmitted, seen by the sockops
 * header-option callback, which runs for the tracked sockets only (cgroup_skb/egress would run
 * for every packet of the machine) but does not get the segment's sequence number. What the
 * application has written (write_seq) tells instead whether a new request has begun; a
 * retransmission writes nothing new, so it changes no stage.
 */
static __always_inline void on_request_transmit(struct conn *c, const struct tcp_sock *tp)
{
	struct tcp_view v;
	__u32 first_seq;

	if (c->closed)
		return;
	tcp_view_read(tp, &v);
	if (c->stage == STAGE_RESPONSE) {
		/* A new request: data beyond the request that was answered. */
		first_seq = c->task_snd_start + c->request_bytes;
		if (!seq_after(data_end_out(c, &v), first_seq))
			return;
	} else {
		/* STAGE_NONE: our first data is the first request (STAGE_REQUEST: more of it). */
		first_seq = c->conn_snd_start;
	}
	/*
	 * Every path that transmits payload (tcp_write_xmit, retransmits, probes) refreshes the
	 * socket's clock just before: the same CLOCK_MONOTONIC as bpf_ktime_get_ns, without a clock
	 * read of our own (one costs about as much as the rest of this callback on the VMs here).
	 */
	on_new_data_out(c, &v, first_seq, 0, tp->tcp_clock_cache);
}

/*
 * A closing event seen outside the receive path (our FIN, a reset received): the server side's
 * phase is taken with a response that began since the last incoming segment caught up first.
 */
static __always_inline void close_event_now(struct conn *c, const struct tcp_sock *tp, __u8 event)
{
	__u64 now_ns = bpf_ktime_get_ns();
	struct tcp_view v;

	if (c->closed)
		return;
	tcp_view_read(tp, &v);
	catch_up_response_start(c, &v, now_ns);
	close_event(c, &v, event, v.snd_una, data_end_in(c, &v), now_ns);
}

/* Entering FIN_WAIT1 or LAST_ACK is when the kernel queues our FIN (tcp_close_state). */
static __always_inline void on_state_change(struct conn *c, const struct tcp_sock *tp, int new_state)
{
	if (new_state != BPF_TCP_FIN_WAIT1 && new_state != BPF_TCP_LAST_ACK)
		return;
	c->fin_queued = 1;
	/* LAST_ACK: the peer's FIN came first and is the first closing event already. */
	if (new_state == BPF_TCP_FIN_WAIT1)
		close_event_now(c, tp, TCPRT_CLOSE_FIN_OUT);
}

static __always_inline void on_close(struct conn *c, const struct tcp_sock *tp, int old_state)
{
	__u64 now_ns = bpf_ktime_get_ns();
	struct tcp_view v;
	__u32 sent_end, rcvd_end;
	__u8 abort;

	if (c->closed)
		return;
	c->closed = 1;
	if (c->request_num == 0)
		return; /* never carried a request: nothing at all */
	/*
	 * A reset received ends the connection when it arrives: the kernel then frees the send queue
	 * before the socket reaches CLOSE (tcp_reset → tcp_write_queue_purge → tcp_done), which took
	 * 0.4–0.5 ms with 2.8 MB queued (issue 14).
	 */
	if (c->reset_in_ns)
		now_ns = c->reset_in_ns;
	tcp_view_read(tp, &v);
	catch_up_response_start(c, &v, now_ns);
	sent_end = data_end_out(c, &v);
	rcvd_end = data_end_in(c, &v);
	abort = c->close.reset ? TCPRT_CLOSE_NONE : local_abort_event(tp, old_state);
	if (abort)
		close_event(c, &v, abort, v.snd_una, rcvd_end, now_ns);
	c->close.protocol_end |= protocol_end_at_close(c, sent_end, rcvd_end);

	if (c->side == TCPRT_SIDE_PEER) {
		if (c->stage == STAGE_RESPONSE)
			emit_record(c, &v, TCPRT_RECORD_P, now_ns);
	} else if (c->stage == STAGE_REQUEST) {
		/* COM_QUIT is how MySQL ends a connection, not a request left unanswered: its E says so. */
		if (!(c->close.protocol_end & TCPRT_END_MYSQL_QUIT))
			emit_record(c, &v, TCPRT_RECORD_N, now_ns);
	} else if (c->stage == STAGE_RESPONSE && sent_end != c->task_snd_start) {
		if (!seq_after(sent_end, v.snd_una)) {
			if (seq_after(v.snd_una, c->last_ack_seq + 1))
				c->t3_ns = now_ns;
			emit_record(c, &v, TCPRT_RECORD_R, now_ns);
		} else {
			emit_record(c, &v, TCPRT_RECORD_W, now_ns);
		}
	}
	emit_record(c, &v, TCPRT_RECORD_E, now_ns);
}

#endif
