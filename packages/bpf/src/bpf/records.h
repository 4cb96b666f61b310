/* SPDX-License-Identifier: GPL-2.0 */
/* Building finished records in place (ring.h). A full ring buffer is counted. */
#ifndef TCPRT_BPF_RECORDS_H
#define TCPRT_BPF_RECORDS_H

#include "extensions.h"
#include "ring.h"

static __always_inline __u64 ns_to_us(__u64 later_ns, __u64 earlier_ns)
{
	return later_ns > earlier_ns ? (later_ns - earlier_ns) / 1000 : 0;
}

/* R records of http/https ports (server side): the V7 extension letters and their fields. */
static __always_inline void add_extensions(const struct conn *c, struct tcprt_record *r, __u32 sent_end,
					   __u32 rcvd_end)
{
	const struct tcprt_first_frame_steps *steps = first_frame_steps_get();

	r->extensions = extensions_at_emit(c, steps, sent_end, rcvd_end);
	if ((r->extensions & TCPRT_EXT_H) && c->handshake_end_ns) {
		r->handshake_timed = 1;
		r->handshake_us = ns_to_us(c->handshake_end_ns, c->t0_ns);
	}
	if ((r->extensions & TCPRT_EXT_F) && steps)
		first_frame_to_record(&c->first_frame_progress, steps, r);
}

/* What an R or P record says about its task, in either form (whole or compact). */
struct task_values {
	__u64 total_us;
	__u64 server_us;   /* R: process time, P: service time */
	__u64 transfer_us; /* R: upload time, P: response receive time */
	__u32 bytes_sent;
	__u32 bytes_received;
	__u32 retrans;
};

static __always_inline void task_values_get(struct task_values *t, const struct conn *c, const struct tcp_view *v,
					    __u8 type, __u32 sent_end, __u32 rcvd_end)
{
	t->total_us = ns_to_us(c->t3_ns, c->t0_ns);
	t->server_us = ns_to_us(c->t2_ns, c->t1_ns);
	t->retrans = v->tp->total_retrans - c->task_retrans_start;
	if (type == TCPRT_RECORD_R) {
		t->transfer_us = ns_to_us(c->t1_ns, c->t0_ns);
		t->bytes_sent = sent_end - c->task_snd_start;
		t->bytes_received = c->request_bytes;
	} else {
		t->transfer_us = ns_to_us(c->t3_ns, c->t2_ns);
		t->bytes_sent = c->request_bytes;
		t->bytes_received = rcvd_end - c->task_rcv_start;
	}
}

/* The fields every record has: all of struct tcprt_record up to its extension tail. */
static __always_inline void fill_core(struct tcprt_record *r, const struct conn *c, const struct tcp_view *v,
				      __u8 type, __u32 sent_end, __u32 rcvd_end, __u64 now_ns)
{
	struct task_values t;

	r->version = TCPRT_RECORD_VERSION;
	r->type = type;
	tcprt_record_identify(r, &c->id);
	r->reorder = c->reorder;
	r->task_num = c->request_num;
	r->start_ns = c->t0_ns;
	r->min_rtt_us = v->tp->rtt_min.s[0].v;
	r->retrans = v->tp->total_retrans - c->task_retrans_start;
	r->mss = v->tp->mss_cache;
	r->srtt_us = view_srtt_us(v);
	r->cwnd = v->tp->snd_cwnd;

	switch (type) {
	case TCPRT_RECORD_R:
	case TCPRT_RECORD_P:
		task_values_get(&t, c, v, type, sent_end, rcvd_end);
		r->bytes_sent = t.bytes_sent;
		r->bytes_received = t.bytes_received;
		r->total_us = t.total_us;
		if (type == TCPRT_RECORD_R) {
			r->process_us = t.server_us;
			r->upload_us = t.transfer_us;
		} else {
			r->service_us = t.server_us;
			r->receive_us = t.transfer_us;
		}
		break;
	case TCPRT_RECORD_W:
		r->bytes_sent = sent_end - c->task_snd_start;
		r->total_us = ns_to_us(now_ns, c->t0_ns);
		r->process_us = ns_to_us(c->t2_ns, c->t1_ns);
		r->upload_us = ns_to_us(c->t1_ns, c->t0_ns);
		r->bytes_unacked = seq_after(sent_end, v->snd_una) ? sent_end - v->snd_una : 0;
		break;
	case TCPRT_RECORD_N:
		r->total_us = ns_to_us(now_ns, c->t0_ns);
		r->bytes_received = rcvd_end - c->task_rcv_start;
		break;
	case TCPRT_RECORD_E:
		r->bytes_sent = sent_end - c->conn_snd_start;
		r->bytes_received = rcvd_end - c->conn_rcv_start;
		r->bytes_unacked = seq_after(sent_end, v->snd_una) ? sent_end - v->snd_una : 0;
		r->retrans = v->tp->total_retrans;
		break;
	}
}

/* A whole record up to its `http`: the core and the tail (extensions, download, close). */
static __always_inline void fill_tail(struct tcprt_ring_record *e, const struct conn *c, const struct tcp_view *v,
				      __u8 type, __u32 sent_end, __u32 rcvd_end, __u64 now_ns, bool with_extensions,
				      const struct tcprt_download *download)
{
	fill_core(&e->record, c, v, type, sent_end, rcvd_end, now_ns);
	if (with_extensions)
		add_extensions(c, &e->record, sent_end, rcvd_end);
	e->record.download = *download;
	if (type == TCPRT_RECORD_E)
		e->record.close = c->close;
}

/* A connection now tracked: its identity, which compact task entries name by conn_id. */
static __always_inline void conn_entry_fill(struct tcprt_ring_conn *e, const struct conn *c)
{
	e->header = (struct tcprt_ring_header){ .kind = TCPRT_RING_CONN, .conn_id = c->conn_id };
	e->identity = c->id;
}

/* An R or P record as one cache line (tcprt.h); false when a value does not fit. */
static __always_inline bool emit_compact_task(const struct conn *c, const struct tcp_view *v, __u8 type,
					      __u32 sent_end, __u32 rcvd_end)
{
	struct tcprt_ring_task *e;
	struct ring_batch *batch;
	struct task_values t;

	task_values_get(&t, c, v, type, sent_end, rcvd_end);
	if (t.total_us > 0xffffffffULL || t.server_us > 0xffffffffULL || t.transfer_us > 0xffffffffULL ||
	    t.retrans > 0xffff)
		return false;
	e = entry_reserve(c, &batch, sizeof(*e));
	if (!e) {
		count(TCPRT_LOST_RINGBUF_FULL);
		return true;
	}
	/* Every byte assigned. */
	e->kind = TCPRT_RING_TASK;
	e->type = type;
	e->mss = v->tp->mss_cache;
	e->conn_id = c->conn_id;
	e->task_num = c->request_num;
	e->retrans = t.retrans;
	e->reorder = c->reorder;
	e->reserved = 0;
	e->start_ns = c->t0_ns;
	e->bytes_sent = t.bytes_sent;
	e->bytes_received = t.bytes_received;
	e->total_us = t.total_us;
	e->server_us = t.server_us;
	e->transfer_us = t.transfer_us;
	e->min_rtt_us = v->tp->rtt_min.s[0].v;
	e->srtt_us = view_srtt_us(v);
	e->cwnd = v->tp->snd_cwnd;
	entry_commit(batch, e);
	return true;
}

/*
 * R records of default-mode servers and P records go compact when they fit and the connection's
 * identity is in the ring (struct conn: named). R and W of http servers go whole and in full
 * (their `http`). Another record with a tail goes whole up to `http` (TCPRT_RING_RECORD_TAIL_BYTES):
 * R of https servers (extensions), R and W of servers whose download lasted at least a jiffy, the
 * chronographs' resolution (`download`), every E (`close`, once per connection). Every other
 * whole record goes into the ring without the tail (TCPRT_RING_RECORD_CORE_BYTES). The loader
 * restores the full size.
 */
static __always_inline void emit_record(const struct conn *c, const struct tcp_view *v, __u8 type, __u64 now_ns)
{
	__u32 sent_end = data_end_out(c, v);
	/* A client's close_notify still waiting (close.h) is not part of the task before it. */
	__u32 rcvd_end = type == TCPRT_RECORD_R && c->close_notify_in_ns ? c->close_notify_in_seq : data_end_in(c, v);
	bool server = c->side == TCPRT_SIDE_LOCAL;
	bool with_extensions = type == TCPRT_RECORD_R && server && c->mode != TCPRT_MODE_DEFAULT;
	bool with_http = (type == TCPRT_RECORD_R || type == TCPRT_RECORD_W) && server && c->mode == TCPRT_MODE_HTTP;
	struct tcprt_download download = {};
	struct tcprt_ring_record *e;
	struct ring_batch *batch;

	/* A download shorter than the chronographs' resolution has nothing to split (and stays compact). */
	if (server && (type == TCPRT_RECORD_R || type == TCPRT_RECORD_W) && c->t2_ns &&
	    ns_to_us(type == TCPRT_RECORD_R ? c->t3_ns : now_ns, c->t2_ns) >= chrono_jiffy_us())
		chrono_since(v->tp, &c->chrono_at_task_start, &download);
	if ((type == TCPRT_RECORD_R || type == TCPRT_RECORD_P) && !with_extensions && !download.measured && c->named &&
	    emit_compact_task(c, v, type, sent_end, rcvd_end))
		return;
	if (with_http) {
		e = entry_reserve(c, &batch, sizeof(*e));
		if (!e)
			goto lost;
		__builtin_memset(e, 0, sizeof(*e));
		fill_tail(e, c, v, type, sent_end, rcvd_end, now_ns, with_extensions, &download);
		http_to_record(&c->http, &e->record.http);
		e->header.kind = TCPRT_RING_RECORD_HTTP;
	} else if (with_extensions || download.measured || type == TCPRT_RECORD_E) {
		e = entry_reserve(c, &batch, TCPRT_RING_RECORD_TAIL_BYTES);
		if (!e)
			goto lost;
		__builtin_memset(e, 0, TCPRT_RING_RECORD_TAIL_BYTES);
		fill_tail(e, c, v, type, sent_end, rcvd_end, now_ns, with_extensions, &download);
		e->header.kind = TCPRT_RING_RECORD_EXTENDED;
	} else {
		e = entry_reserve(c, &batch, TCPRT_RING_RECORD_CORE_BYTES);
		if (!e)
			goto lost;
		__builtin_memset(e, 0, TCPRT_RING_RECORD_CORE_BYTES);
		fill_core(&e->record, c, v, type, sent_end, rcvd_end, now_ns);
		e->header.kind = TCPRT_RING_RECORD;
	}
	e->header.conn_id = c->conn_id;
	entry_commit(batch, e);
	return;
lost:
	count(TCPRT_LOST_RINGBUF_FULL);
}

#endif
