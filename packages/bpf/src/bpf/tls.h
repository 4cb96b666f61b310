/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TLS as seen from the wire, without decrypting anything: https mode (SPEC §2, V7 records).
 *
 * Both directions of a connection are walked record by record: a TLS record starts with a
 * five-byte header (content type, version, length) in clear text, so knowing where one record
 * starts tells where the next one does. The walk only follows in-order segments; a gap (a segment
 * that starts after the next expected header) or a header split across two segments ends the walk
 * for that direction ("lost"), and a header that is not TLS ends it for good ("not TLS": plain
 * HTTP or garbage on an https port). Either way the connection keeps producing ordinary records.
 *
 * What is observable, and what each extension letter is built from:
 *   H  the client's handshake bytes are records of type 22 (handshake) or 20 (change cipher spec),
 *      sent before any application data. A task whose first request byte lies inside them is a
 *      handshake task. TLS 1.2 full handshake: ClientHello → server flight, then client
 *      key exchange/Finished → server Finished: two tasks. TLS 1.3: the ServerHello's
 *      supported_versions extension says 0x0304; the next client flight is the client's Finished
 *      (encrypted), which does not open a task of its own: it ends the handshake (duration
 *      ClientHello received → that flight received) and the one handshake task goes on until the
 *      first request. A HelloRetryRequest (a ServerHello with the fixed HRR random) is no
 *      ServerHello for this purpose.
 *   Z  early data: a ClientHello with the early_data extension, which a client sends only when it
 *      sends 0-RTT application data right behind it. That data rides on the ClientHello's task.
 *      Counting type-23 records "before the server spoke" does not work: Nagle holds the early
 *      data until the ServerHello acknowledges the ClientHello. Whether the server accepted the
 *      data is inside the encrypted EncryptedExtensions and cannot be seen.
 *   A  close_notify. TLS 1.2 sends alerts as records of type 21 (encrypted after the handshake,
 *      so the level/description is unreadable: every type-21 record after the handshake is taken
 *      for a close_notify; before it, alerts are clear text and only description 0 counts).
 *      TLS 1.3 encrypts alerts as type 23, so the only trace is the size: a close_notify is a
 *      record of 19 bytes (2 alert bytes, 1 inner type byte, 16-byte AEAD tag) — the same size as
 *      two bytes of application data. The sound heuristic used: a 19-byte type-23 record that is
 *      the last record before that side's FIN. (CCM_8 suites, with an 8-byte tag, are not
 *      recognised.)
 *
 * Concurrency: the ingress walk runs in cgroup_skb/ingress, before the socket lock is taken and
 * before tcp_probe sees the same segment (even when the segment then waits in the socket backlog).
 * The facts it leaves are therefore keyed by sequence number, never by "the current segment", and
 * the task state machine reads them when it processes that sequence range.
 */
#ifndef TCPRT_BPF_TLS_H
#define TCPRT_BPF_TLS_H

#include "seq.h"

#define TLS_RECORD_HEADER_BYTES 5
/* RFC 8446 §5.2 allows 2^14 + 256 ciphertext bytes; RFC 5246 §6.2.3 2^14 + 2048. */
#define TLS_MAX_RECORD_BYTES (16384 + 2048)
/* Each record costs one header read; a segment of the largest GSO size holds at most ~4 full
 * records, and small handshake records come a handful per flight. */
#define TLS_MAX_RECORDS_PER_SEGMENT 24
/* OpenSSL, NSS, BoringSSL clients send 10–20 extensions; early_data sits near the end. */
#define TLS_MAX_HELLO_EXTENSIONS 32
#define TLS13_CLOSE_NOTIFY_RECORD_BYTES 19
/* First 8 bytes of the random of a HelloRetryRequest; they are enough to tell one. */
#define TLS_HRR_RANDOM_HEAD 0xcf21ad74e59a6111ULL

enum tls_content_type {
	TLS_CHANGE_CIPHER_SPEC = 20,
	TLS_ALERT = 21,
	TLS_HANDSHAKE = 22,
	TLS_APPLICATION_DATA = 23,
	TLS_HEARTBEAT = 24,
};

enum tls_handshake_type {
	TLS_CLIENT_HELLO = 1,
	TLS_SERVER_HELLO = 2,
};

#define TLS_EXT_EARLY_DATA 42
#define TLS_EXT_SUPPORTED_VERSIONS 43
#define TLS_VERSION_1_3 0x0304

enum tls_walk_state {
	TLS_WALK_SYNC = 0, /* next_seq is where the next record header starts */
	TLS_WALK_LOST = 1, /* a gap or split header: no more facts from this direction */
	TLS_WALK_NOT_TLS = 2,
};

struct tls_walk {
	__u32 next_seq;
	__u8 state; /* enum tls_walk_state */
	__u8 records_seen;
	__u8 reserved[2];
};

/* What the walks learned about one connection. Written by the two walks, read by task.h. */
struct tls_conn {
	struct tls_walk in;
	struct tls_walk out;
	__u32 in_handshake_end;    /* end of the newest client record of type 20/22 */
	__u32 in_close_notify_end; /* end of the newest client alert record (explicit: type 21) */
	__u32 in_short_end;        /* end of the newest 19-byte client record that ended its segment */
	__u32 out_short_end;       /* same, server side */
	__u8 client_hello;         /* the client's first record was a ClientHello */
	__u8 version_1_3;          /* the ServerHello chose TLS 1.3 */
	__u8 early_data;           /* the ClientHello offered 0-RTT data */
	__u8 in_close_notify;      /* in_close_notify_end is valid */
	__u8 awaiting_client_finished; /* TLS 1.3 ServerHello sent; the client's Finished is next */
};

/* Facts about one outgoing segment that belong to whatever task is current when it is sent. */
enum tls_out_fact {
	TLS_OUT_CLOSE_NOTIFY = 1 << 0,
};

struct tls_record {
	__u32 seq;      /* of its first header byte */
	__u32 offset;   /* of its first header byte in the skb */
	__u32 length;   /* of its body */
	__u8 type;      /* enum tls_content_type */
	bool ends_segment;
};

static __always_inline void tls_conn_init(struct tls_conn *t, __u32 rcv_start, __u32 snd_start)
{
	t->in.next_seq = rcv_start;
	t->out.next_seq = snd_start;
	t->in_handshake_end = rcv_start;
}

/* A plausible record header: known content type, SSL 3.0 … TLS 1.3 record version, sane length. */
static __always_inline bool tls_header_read(struct __sk_buff *skb, __u32 offset, struct tls_record *r)
{
	__u8 h[TLS_RECORD_HEADER_BYTES];

	if (bpf_skb_load_bytes(skb, offset, h, sizeof(h)))
		return false;
	r->type = h[0];
	r->length = (__u32)h[3] << 8 | h[4];
	return h[0] >= TLS_CHANGE_CIPHER_SPEC && h[0] <= TLS_HEARTBEAT && h[1] == 3 && h[2] <= 4 &&
	       r->length <= TLS_MAX_RECORD_BYTES;
}

static __always_inline __u8 tls_handshake_type(struct __sk_buff *skb, const struct tls_record *r)
{
	__u8 type = 0;

	if (r->length < 4 || bpf_skb_load_bytes(skb, r->offset + TLS_RECORD_HEADER_BYTES, &type, 1))
		return 0;
	return type;
}

/* A clear-text alert is level, description; close_notify is description 0. */
static __always_inline bool tls_alert_is_close_notify(struct __sk_buff *skb, const struct tls_record *r)
{
	__u8 description;

	if (r->length != 2)
		return true; /* encrypted (TLS 1.2 after the handshake): unreadable, see the top */
	if (bpf_skb_load_bytes(skb, r->offset + TLS_RECORD_HEADER_BYTES + 1, &description, 1))
		return false;
	return description == 0;
}

/*
 * Where the value of the extension `type` starts in the hello message of record `r` (0: absent
 * or not in this segment). Both hellos are: handshake header 4, legacy_version 2, random 32,
 * session id <1 + n>, then the ClientHello's cipher suites <2 + n> and compression methods
 * <1 + n>, or the ServerHello's one suite 2 and compression 1, then extensions <2 + n>, each
 * type 2, length 2, value.
 */
static __always_inline __u32 tls_hello_extension(struct __sk_buff *skb, const struct tls_record *r, bool client,
						 __u16 type, __u16 *length)
{
	__u32 body = r->offset + TLS_RECORD_HEADER_BYTES;
	__u32 record_end = body + r->length;
	__u32 offset = body + 38; /* the session id length */
	__u8 len8;
	__u16 len16;

	if (bpf_skb_load_bytes(skb, offset, &len8, 1))
		return 0;
	offset += 1 + len8;
	if (client) {
		if (bpf_skb_load_bytes(skb, offset, &len16, 2))
			return 0;
		offset += 2 + bpf_ntohs(len16);
		if (bpf_skb_load_bytes(skb, offset, &len8, 1))
			return 0;
		offset += 1 + len8;
	} else {
		offset += 3;
	}
	offset += 2; /* the extensions' total length: the record end bounds the walk instead */
	for (int i = 0; i < TLS_MAX_HELLO_EXTENSIONS; i++) {
		__u16 ext[2]; /* type, length */

		if (offset + 4 > record_end || bpf_skb_load_bytes(skb, offset, ext, sizeof(ext)))
			return 0;
		if (bpf_ntohs(ext[0]) == type) {
			*length = bpf_ntohs(ext[1]);
			return offset + 4;
		}
		offset += 4 + bpf_ntohs(ext[1]);
	}
	return 0;
}

/* The ClientHello offers 0-RTT when it carries the early_data extension. */
static __always_inline void tls_read_client_hello(struct __sk_buff *skb, struct tls_conn *t,
						  const struct tls_record *r)
{
	__u16 length;

	t->early_data = tls_hello_extension(skb, r, true, TLS_EXT_EARLY_DATA, &length) != 0;
}

/* Reads the ServerHello in `r`: TLS 1.3 when supported_versions selects 0x0304. */
static __always_inline void tls_read_server_hello(struct __sk_buff *skb, struct tls_conn *t,
						  const struct tls_record *r)
{
	__u64 random_head;
	__u16 length, version;
	__u32 value;

	if (bpf_skb_load_bytes(skb, r->offset + TLS_RECORD_HEADER_BYTES + 6, &random_head, sizeof(random_head)))
		return;
	/* SHA-256("HelloRetryRequest") (RFC 8446 §4.1.3): the real ServerHello is still to come. */
	if (random_head == bpf_cpu_to_be64(TLS_HRR_RANDOM_HEAD))
		return;
	value = tls_hello_extension(skb, r, false, TLS_EXT_SUPPORTED_VERSIONS, &length);
	if (value && length == 2 && !bpf_skb_load_bytes(skb, value, &version, 2))
		t->version_1_3 = bpf_ntohs(version) == TLS_VERSION_1_3;
	t->awaiting_client_finished = t->version_1_3;
}

static __always_inline __u32 tls_on_client_record(struct __sk_buff *skb, struct tls_conn *t,
						  const struct tls_record *r)
{
	__u32 end = r->seq + TLS_RECORD_HEADER_BYTES + r->length;

	if (t->in.records_seen == 0) {
		/* Anything but a ClientHello first is not a TLS client. */
		if (r->type != TLS_HANDSHAKE || tls_handshake_type(skb, r) != TLS_CLIENT_HELLO) {
			t->in.state = TLS_WALK_NOT_TLS;
			return 0;
		}
		t->client_hello = 1;
		tls_read_client_hello(skb, t, r);
	}
	switch (r->type) {
	case TLS_HANDSHAKE:
	case TLS_CHANGE_CIPHER_SPEC:
		t->in_handshake_end = end;
		break;
	case TLS_ALERT:
		if (tls_alert_is_close_notify(skb, r)) {
			t->in_close_notify_end = end;
			t->in_close_notify = 1;
		}
		break;
	case TLS_APPLICATION_DATA:
		if (r->length == TLS13_CLOSE_NOTIFY_RECORD_BYTES && r->ends_segment)
			t->in_short_end = end;
		break;
	}
	return 0;
}

static __always_inline __u32 tls_on_server_record(struct __sk_buff *skb, struct tls_conn *t,
						  const struct tls_record *r)
{
	switch (r->type) {
	case TLS_HANDSHAKE:
		/* Clear-text until the version is known; encrypted handshake bytes are not read. */
		if (!t->version_1_3 && tls_handshake_type(skb, r) == TLS_SERVER_HELLO)
			tls_read_server_hello(skb, t, r);
		break;
	case TLS_ALERT:
		if (tls_alert_is_close_notify(skb, r))
			return TLS_OUT_CLOSE_NOTIFY;
		break;
	case TLS_APPLICATION_DATA:
		if (r->length == TLS13_CLOSE_NOTIFY_RECORD_BYTES && r->ends_segment)
			t->out_short_end = r->seq + TLS_RECORD_HEADER_BYTES + r->length;
		break;
	}
	return 0;
}

/*
 * Steps one direction's walk over the records of an in-order segment [seq, seq + len) whose
 * payload starts at `payload_offset`. Returns enum tls_out_fact bits (server side only).
 */
static __always_inline __u32 tls_walk(struct __sk_buff *skb, struct tls_conn *t, bool from_client,
				      __u32 payload_offset, __u32 seq, __u32 len)
{
	struct tls_walk *w = from_client ? &t->in : &t->out;
	__u32 end = seq + len, facts = 0;

	if (w->state != TLS_WALK_SYNC || !seq_after(end, w->next_seq))
		return 0; /* given up, or data already walked (a retransmission) */
	if (seq_after(seq, w->next_seq)) {
		w->state = TLS_WALK_LOST; /* the segment with the next header was skipped */
		return 0;
	}
	for (int i = 0; i < TLS_MAX_RECORDS_PER_SEGMENT; i++) {
		struct tls_record r;

		if (!seq_after(end, w->next_seq))
			return facts;
		if (end - w->next_seq < TLS_RECORD_HEADER_BYTES)
			break; /* a header split across segments */
		r.seq = w->next_seq;
		r.offset = payload_offset + (w->next_seq - seq);
		if (!tls_header_read(skb, r.offset, &r)) {
			w->state = TLS_WALK_NOT_TLS;
			return facts;
		}
		w->next_seq += TLS_RECORD_HEADER_BYTES + r.length;
		r.ends_segment = w->next_seq == end;
		facts |= from_client ? tls_on_client_record(skb, t, &r) : tls_on_server_record(skb, t, &r);
		if (w->state != TLS_WALK_SYNC)
			return facts;
		if (w->records_seen < 255)
			w->records_seen++;
	}
	if (seq_after(end, w->next_seq))
		w->state = TLS_WALK_LOST; /* more records than one walk reads, or a split header */
	return facts;
}

#endif
