/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a connection ended (E records, struct tcprt_close; DESIGN §7), taken where it happens:
 *   first closing event  the peer's FIN (tcp_probe / header-parse), our FIN (state change to
 *                        FIN_WAIT1), a reset received (tp_btf/tcp_receive_reset), or, when the
 *                        socket goes from an open state straight to CLOSE with none of these,
 *                        our reset or the kernel's timeout (sk_err ETIMEDOUT);
 *   phase                where the server side was at that moment, and for how long;
 *   protocol endings     TLS close_notify (https) and MySQL's COM_QUIT (default mode), which end a
 *                        connection normally.
 */
#ifndef TCPRT_BPF_CLOSE_H
#define TCPRT_BPF_CLOSE_H

#include "records.h"

#define ETIMEDOUT 110
/* MySQL COM_QUIT: a 4-byte packet header (length 1, sequence 0) and the command byte 0x01. */
#define MYSQL_COM_QUIT_BYTES 5

/*
 * The request being received is complete, as far as the mode can see its end: https, the data
 * received so far ends exactly where a TLS record does; http, it ends with the blank line that
 * ends the headers (ingress). Default mode sees no payload: never.
 */
static __always_inline bool request_complete(const struct conn *c, __u32 rcvd_end)
{
	if (rcvd_end == c->task_rcv_start)
		return false;
	if (c->mode == TCPRT_MODE_HTTPS)
		return c->tls.in.state == TLS_WALK_SYNC && c->tls.in.next_seq == rcvd_end;
	if (c->mode == TCPRT_MODE_HTTP)
		return c->http_request_end == rcvd_end;
	return false;
}

static __always_inline __u32 us_u32(__u64 later_ns, __u64 earlier_ns)
{
	__u64 us = ns_to_us(later_ns, earlier_ns);

	return us > 0xffffffffULL ? 0xffffffff : us;
}

/* The server side's phase now; snd_una and rcvd_end as the kernel will have them after this event. */
static __always_inline void close_phase_set(struct conn *c, const struct tcp_view *v, __u32 snd_una, __u32 rcvd_end,
					    __u64 now_ns)
{
	__u32 sent_end = data_end_out(c, v);
	__u64 since_ns = now_ns;
	__u8 phase = TCPRT_PHASE_UNKNOWN;

	if (c->side != TCPRT_SIDE_LOCAL || c->request_num == 0)
		return;
	if (c->stage == STAGE_REQUEST) {
		if (request_complete(c, rcvd_end)) {
			phase = TCPRT_PHASE_PROCESSING;
			since_ns = c->t1_ns;
		} else {
			phase = TCPRT_PHASE_RECEIVING;
			since_ns = c->t0_ns;
		}
	} else if (c->stage == STAGE_RESPONSE) {
		if (!seq_after(sent_end, snd_una)) {
			phase = TCPRT_PHASE_IDLE;
			since_ns = c->t3_ns;
		} else if (seq_after(sent_end, v->snd_nxt)) {
			phase = TCPRT_PHASE_SENDING;
			since_ns = c->t2_ns;
		} else {
			phase = TCPRT_PHASE_LAST_ACKS;
			since_ns = c->t3_ns > c->t2_ns ? c->t3_ns : c->t2_ns;
		}
	}
	c->close.phase = phase;
	c->close.phase_us = us_u32(now_ns, since_ns);
}

static __always_inline bool close_event_is_abort(__u8 event)
{
	return event == TCPRT_CLOSE_RST_IN || event == TCPRT_CLOSE_RST_OUT || event == TCPRT_CLOSE_TIMEOUT;
}

/* A closing event: the first one fixes who, how and the phase; a reset or timeout is kept too. */
static __always_inline void close_event(struct conn *c, const struct tcp_view *v, __u8 event, __u32 snd_una,
					__u32 rcvd_end, __u64 now_ns)
{
	if (close_event_is_abort(event) && !c->close.reset) {
		c->close.reset = event;
		if (event == TCPRT_CLOSE_RST_IN)
			c->reset_in_ns = now_ns;
	}
	if (c->close.first)
		return;
	c->close.first = event;
	close_phase_set(c, v, snd_una, rcvd_end, now_ns);
}

/*
 * Our side went from an open state straight to CLOSE without a reset received: we reset it
 * (close with unread data, SO_LINGER 0, an abort) or the kernel gave up (timeout). The ends that
 * are not aborts reach CLOSE from FIN_WAIT2, CLOSING, LAST_ACK or TIME_WAIT.
 */
static __always_inline __u8 local_abort_event(const struct tcp_sock *tp, int old_state)
{
	if (old_state != BPF_TCP_ESTABLISHED && old_state != BPF_TCP_CLOSE_WAIT && old_state != BPF_TCP_FIN_WAIT1)
		return TCPRT_CLOSE_NONE;
	return BPF_CORE_READ(tp, inet_conn.icsk_inet.sk.sk_err) == ETIMEDOUT ? TCPRT_CLOSE_TIMEOUT : TCPRT_CLOSE_RST_OUT;
}

/*
 * https: the client's segment is exactly a close_notify — a TLS 1.2 alert record (type 21, any
 * alert after the handshake is encrypted and taken for one) ending it, or TLS 1.3's 19-byte
 * record alone in it (tls.h). It opens no task unless the server answers it (its own
 * close_notify: an exchange, R.A) or more data follows (TLS 1.3's could be two bytes of data):
 * until then it waits in close_notify_in_ns, and a connection that closes after it wrote no N.
 */
static __always_inline bool is_close_notify_in(const struct conn *c, __u32 seq, __u32 data_end)
{
	const struct tls_conn *t = &c->tls;

	if (c->mode != TCPRT_MODE_HTTPS)
		return false;
	return (t->in_close_notify && t->in_close_notify_end == data_end) ||
	       (t->version_1_3 && t->in_short_end == data_end &&
		data_end - seq == TLS_RECORD_HEADER_BYTES + TLS13_CLOSE_NOTIFY_RECORD_BYTES);
}

/*
 * Protocol endings only the close can tell (the close_notify records themselves are noted as
 * they pass): TLS 1.3's close_notify of ours, the 19-byte record before our FIN; MySQL's COM_QUIT
 * in default mode, which reads no payload: the server spoke first (its greeting), the last
 * request is 5 bytes and got no response. Such a COM_QUIT writes no N (on_close): the E carries it.
 */
static __always_inline __u8 protocol_end_at_close(const struct conn *c, __u32 sent_end, __u32 rcvd_end)
{
	__u8 end = 0;

	if (c->side != TCPRT_SIDE_LOCAL)
		return 0;
	if (c->mode == TCPRT_MODE_HTTPS) {
		if (c->tls.version_1_3 && c->fin_queued && c->tls.out_short_end == sent_end)
			end |= TCPRT_END_TLS_CLOSE_NOTIFY_OUT;
	} else if (c->mode == TCPRT_MODE_DEFAULT && c->server_first && c->stage == STAGE_REQUEST &&
		   sent_end == c->task_snd_start && rcvd_end - c->task_rcv_start == MYSQL_COM_QUIT_BYTES) {
		end |= TCPRT_END_MYSQL_QUIT;
	}
	return end;
}

#endif
