/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The extension letters of V7 R records (SPEC §2: R.C, R.Z, R.A, R.H, R.F), decided from what the
 * HTTP and TLS parsers (http.h, tls.h) saw, placed on the tasks of the state machine (task.h).
 * Server side (local rules) only: a client-side connection writes P records, which have none.
 *
 *   C  set when the task's first response bytes are an interim "HTTP/1.x 100" line (egress).
 *   H  set when the task starts inside the client's TLS handshake records.
 *   Z  the handshake task that began with the ClientHello, when early data followed it.
 *   A  a close_notify inside the task: sent by us (egress, or TLS 1.3's 19-byte last record before
 *      our FIN or answered by the client's own) or received (a type-21 record inside the task's
 *      request bytes, or TLS 1.3's 19-byte last record before the client's FIN).
 *   F  every R of a first_frame connection while at least one step is configured.
 */
#ifndef TCPRT_BPF_EXTENSIONS_H
#define TCPRT_BPF_EXTENSIONS_H

/* seq lies in (first, last]: the end of a record received within a task's request bytes. */
static __always_inline bool seq_end_within(__u32 seq, __u32 first, __u32 last)
{
	return seq_after(seq, first) && !seq_after(seq, last);
}

/* At task start (local side): the first request byte `rcv_start` is a TLS handshake byte. */
static __always_inline __u8 extensions_at_task_start(const struct conn *c, __u32 rcv_start)
{
	if (c->mode == TCPRT_MODE_HTTPS && c->tls.client_hello && seq_after(c->tls.in_handshake_end, rcv_start))
		return TCPRT_EXT_H;
	return 0;
}

/*
 * TLS 1.3: the client's first flight after our ServerHello is its Finished. It ends the handshake
 * instead of opening a task (the handshake is one R.H).
 */
static __always_inline bool ends_tls13_handshake(const struct conn *c)
{
	return c->mode == TCPRT_MODE_HTTPS && c->tls.awaiting_client_finished && (c->task_extensions & TCPRT_EXT_H);
}

/* first_frame is measured on the server side of http/https ports whose rule enables it. */
static __always_inline bool tracks_first_frame(const struct conn *c)
{
	return c->first_frame && c->mode != TCPRT_MODE_DEFAULT && c->side == TCPRT_SIDE_LOCAL;
}

static __always_inline bool first_frame_configured(const struct tcprt_first_frame_steps *steps)
{
	return steps && (steps->bytes[0] | steps->bytes[1] | steps->bytes[2] | steps->bytes[3]);
}

/*
 * TLS 1.3: the client's data right after the task (`rcvd_end`) is one 19-byte record that ended
 * its segment: its close_notify answering ours, which can arrive before we queue our FIN.
 */
static __always_inline bool answered_by_close_notify(const struct tls_conn *t, __u32 rcvd_end)
{
	return t->in_short_end == rcvd_end + TLS_RECORD_HEADER_BYTES + TLS13_CLOSE_NOTIFY_RECORD_BYTES;
}

/* The letters of the task's R record; `sent_end`/`rcvd_end` bound what the task sent/received. */
static __always_inline __u8 extensions_at_emit(const struct conn *c, const struct tcprt_first_frame_steps *steps,
					       __u32 sent_end, __u32 rcvd_end)
{
	const struct tls_conn *t = &c->tls;
	__u8 ext = c->task_extensions;

	if (c->mode == TCPRT_MODE_HTTPS) {
		if ((ext & TCPRT_EXT_H) && t->early_data && c->task_rcv_start == c->conn_rcv_start)
			ext |= TCPRT_EXT_Z;
		if (t->in_close_notify && seq_end_within(t->in_close_notify_end, c->task_rcv_start, rcvd_end))
			ext |= TCPRT_EXT_A;
		if (t->version_1_3 && c->fin_in && t->in_short_end == c->fin_in_seq &&
		    seq_end_within(t->in_short_end, c->task_rcv_start, rcvd_end))
			ext |= TCPRT_EXT_A;
		if (t->version_1_3 && t->out_short_end == sent_end && seq_after(sent_end, c->task_snd_start) &&
		    (c->fin_queued || answered_by_close_notify(t, rcvd_end)))
			ext |= TCPRT_EXT_A;
	}
	if (tracks_first_frame(c) && first_frame_configured(steps))
		ext |= TCPRT_EXT_F;
	return ext;
}

#endif
