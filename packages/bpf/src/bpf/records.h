/* SPDX-License-Identifier: GPL-2.0 */
/* Building finished records straight into the ring buffer. A full ring buffer is counted. */
#ifndef TCPRT_BPF_RECORDS_H
#define TCPRT_BPF_RECORDS_H

#include "extensions.h"

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

/* The fields every record has: all of struct tcprt_record up to its extension tail. */
static __always_inline void fill_core(struct tcprt_record *r, const struct conn *c, const struct tcp_view *v,
				      __u8 type, __u32 sent_end, __u32 rcvd_end, __u64 now_ns)
{
	r->version = TCPRT_RECORD_VERSION;
	r->type = type;
	r->family = c->family;
	r->side = c->side;
	r->mode = c->mode;
	r->reorder = c->reorder;
	r->local_port = c->local_port;
	r->remote_port = c->remote_port;
	r->task_num = c->request_num;
	__builtin_memcpy(r->local_addr, c->local_addr, sizeof(r->local_addr));
	__builtin_memcpy(r->remote_addr, c->remote_addr, sizeof(r->remote_addr));
	r->start_ns = c->t0_ns;
	r->min_rtt_us = v->tp->rtt_min.s[0].v;
	r->retrans = v->tp->total_retrans - c->task_retrans_start;
	r->mss = v->tp->mss_cache;
	r->srtt_us = v->tp->srtt_us >> 3; /* the kernel keeps srtt scaled by 8 */
	r->cwnd = v->tp->snd_cwnd;

	switch (type) {
	case TCPRT_RECORD_R:
		r->bytes_sent = sent_end - c->task_snd_start;
		r->total_us = ns_to_us(c->t3_ns, c->t0_ns);
		r->process_us = ns_to_us(c->t2_ns, c->t1_ns);
		r->upload_us = ns_to_us(c->t1_ns, c->t0_ns);
		r->bytes_received = c->request_bytes;
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
	case TCPRT_RECORD_P:
		r->bytes_sent = c->request_bytes;
		r->total_us = ns_to_us(c->t3_ns, c->t0_ns);
		r->service_us = ns_to_us(c->t2_ns, c->t1_ns);
		r->receive_us = ns_to_us(c->t3_ns, c->t2_ns);
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

/* Whether the record just reserved wakes the reader (maps.h: wakeup_bytes, woken_at_consumer_pos). */
static __always_inline __u64 wakeup_flag(void)
{
	__u64 consumer_pos;

	if (bpf_ringbuf_query(&records, BPF_RB_AVAIL_DATA) < wakeup_bytes)
		return BPF_RB_NO_WAKEUP;
	consumer_pos = bpf_ringbuf_query(&records, BPF_RB_CONS_POS);
	if (consumer_pos == woken_at_consumer_pos)
		return BPF_RB_NO_WAKEUP;
	woken_at_consumer_pos = consumer_pos;
	return BPF_RB_FORCE_WAKEUP;
}

/*
 * Only R records of http/https servers carry the extension tail; every other record goes into
 * the ring buffer without it (TCPRT_RECORD_CORE_BYTES), which is fewer cache lines written per
 * record. The loader restores the full size.
 */
static __always_inline void emit_record(const struct conn *c, const struct tcp_view *v, __u8 type, __u64 now_ns)
{
	__u32 sent_end = data_end_out(c, v);
	__u32 rcvd_end = data_end_in(c, v);
	struct tcprt_record *r;

	if (type == TCPRT_RECORD_R && c->side == TCPRT_SIDE_LOCAL && c->mode != TCPRT_MODE_DEFAULT) {
		r = bpf_ringbuf_reserve(&records, sizeof(*r), 0);
		if (!r)
			goto lost;
		__builtin_memset(r, 0, sizeof(*r));
		fill_core(r, c, v, type, sent_end, rcvd_end, now_ns);
		add_extensions(c, r, sent_end, rcvd_end);
	} else {
		r = bpf_ringbuf_reserve(&records, TCPRT_RECORD_CORE_BYTES, 0);
		if (!r)
			goto lost;
		__builtin_memset(r, 0, TCPRT_RECORD_CORE_BYTES);
		fill_core(r, c, v, type, sent_end, rcvd_end, now_ns);
	}
	bpf_ringbuf_submit(r, wakeup_flag());
	count(TCPRT_RECORDS_WRITTEN);
	return;
lost:
	count(TCPRT_LOST_RINGBUF_FULL);
}

#endif
