/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ABI between the kernel programs (tcprt.bpf.c) and the loader (src/loader), and through the
 * loader's frame stream, the agent's decoder (apps/agent/src/collector/frames.ts, offsets in
 * abi.ts). Any layout change here bumps TCPRT_RECORD_VERSION and must be mirrored in abi.ts.
 *
 * Included by BPF code (after vmlinux.h) and by user-space code, so only the fixed-width kernel
 * types (__u8 … __u64) are used.
 */
#ifndef TCPRT_H
#define TCPRT_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define TCPRT_RECORD_VERSION 4

/*
 * The structs that cross a boundary are pinned to the byte: a field that moves fails the build here
 * first, and must then move in the agent's decoder too (apps/agent/src/collector/abi.ts, which
 * abi-layout.test.ts holds to this header).
 */
#define TCPRT_ASSERT_SIZE(type, bytes) _Static_assert(sizeof(struct type) == (bytes), "struct " #type ": " #bytes " bytes")
#define TCPRT_ASSERT_FIELD(type, field, offset) \
	_Static_assert(__builtin_offsetof(struct type, field) == (offset), "struct " #type ": " #field " at " #offset)

/* Rules: single ports in a hash map, ranges in an array, each kept twice (two generations) so
 * the loader can fill the inactive generation and switch with one 4-byte write. */
#define TCPRT_MAX_PORT_RULES 1024 /* single-port rules per generation (both sides together) */
#define TCPRT_MAX_RANGE_RULES 128 /* range rules per side per generation */
#define TCPRT_GENERATIONS 2

enum tcprt_side {
	TCPRT_SIDE_LOCAL = 0, /* the rule matches our port: we are the server (R/W/N/E) */
	TCPRT_SIDE_PEER = 1,  /* the rule matches the remote port: we are the client (P/E) */
};

enum tcprt_mode {
	TCPRT_MODE_DEFAULT = 0,
	TCPRT_MODE_HTTP = 1,
	TCPRT_MODE_HTTPS = 2,
};

struct tcprt_port_key {
	__u16 port;
	__u8 side;       /* enum tcprt_side */
	__u8 generation; /* 0 or 1 */
};

/* What a connection gets when a rule matches it at establishment; it keeps it until it closes. */
struct tcprt_decision {
	__u8 mode;        /* enum tcprt_mode */
	__u8 first_frame; /* 1 when the rule has first_frame enabled */
	__u8 reserved[2];
};

struct tcprt_range_rule {
	__u16 first_port;
	__u16 last_port; /* inclusive */
	struct tcprt_decision decision;
};

/* Index into the range array: (generation * 2 + side) * TCPRT_MAX_RANGE_RULES + i. */
#define TCPRT_RANGE_SLOTS (TCPRT_GENERATIONS * 2 * TCPRT_MAX_RANGE_RULES)

/* The config array: slot 0 is the switch, slots 1 + generation hold that generation's counts. */
enum tcprt_config_slot {
	TCPRT_CONFIG_SWITCH = 0,
	TCPRT_CONFIG_GENERATION_0 = 1,
	TCPRT_CONFIG_SLOTS = 1 + TCPRT_GENERATIONS,
};

struct tcprt_config {
	/* slot 0 */
	__u32 active;     /* 0 after `deactivate`: no new connection is tracked */
	__u32 generation; /* generation that new connections match against */
	/* slots 1..2 */
	__u32 range_count[2]; /* indexed by enum tcprt_side */
};

/* Per-CPU counters, summed by the loader into health frames. */
enum tcprt_counter {
	TCPRT_LOST_RINGBUF_FULL = 0, /* a finished record found the ring buffer full: record lost */
	TCPRT_LOST_STORAGE_ALLOC,    /* a matching connection got no socket storage: untracked */
	TCPRT_CONNS_TRACKED,         /* connections that matched a rule */
	TCPRT_RECORDS_WRITTEN,       /* records handed to the ring buffer */
	TCPRT_COUNTER_COUNT,
};

/* global.first_frame_bytes: up to four steps, 0 = unused (SPEC §4). */
#define TCPRT_FIRST_FRAME_STEPS 4

struct tcprt_first_frame_steps {
	__u32 bytes[TCPRT_FIRST_FRAME_STEPS];
};

/* Extension letters of a V7 R record (SPEC §2), one bit each, in printing order C Z A H F. */
enum tcprt_extension {
	TCPRT_EXT_C = 1 << 0, /* Expect: 100-continue and its interim response */
	TCPRT_EXT_Z = 1 << 1, /* TLS 1.3 0-RTT early data */
	TCPRT_EXT_A = 1 << 2, /* TLS close_notify */
	TCPRT_EXT_H = 1 << 3, /* TLS handshake */
	TCPRT_EXT_F = 1 << 4, /* first_frame tokens */
};

/* One first_frame step of a record: the step, and the ACK that reached it (0, 0: not reached). */
struct tcprt_first_frame {
	__u32 step_bytes; /* 0: unused step, no token */
	__u32 us;         /* T0 → that ACK */
	__u64 bytes;      /* acknowledged response bytes at that ACK */
};
TCPRT_ASSERT_SIZE(tcprt_first_frame, 16);
TCPRT_ASSERT_FIELD(tcprt_first_frame, step_bytes, 0);
TCPRT_ASSERT_FIELD(tcprt_first_frame, us, 4);
TCPRT_ASSERT_FIELD(tcprt_first_frame, bytes, 8);

/*
 * How a connection ended (E records, ours: DESIGN §7). The first closing event says who closed
 * first and how; a reset after it (a FIN answered by a RST) is kept as well.
 */
enum tcprt_close_event {
	TCPRT_CLOSE_NONE = 0,
	TCPRT_CLOSE_FIN_IN = 1,  /* the peer's FIN arrived */
	TCPRT_CLOSE_FIN_OUT = 2, /* we queued our FIN (shutdown or close) */
	TCPRT_CLOSE_RST_IN = 3,  /* the peer reset the connection */
	TCPRT_CLOSE_RST_OUT = 4, /* we reset it: close with unread data, SO_LINGER 0, abort */
	TCPRT_CLOSE_TIMEOUT = 5, /* the kernel gave up on the peer (retransmission or keepalive timeout) */
};

/* Where the server side of the connection was when the first closing event happened. */
enum tcprt_close_phase {
	TCPRT_PHASE_UNKNOWN = 0,    /* client side (peer rules), or no closing event seen */
	TCPRT_PHASE_IDLE = 1,       /* between tasks: the last response acknowledged */
	TCPRT_PHASE_RECEIVING = 2,  /* receiving a request (or the mode cannot see its end) */
	TCPRT_PHASE_PROCESSING = 3, /* the request complete (its end visible to the mode), no response yet */
	TCPRT_PHASE_SENDING = 4,    /* response bytes still queued, not yet on the wire */
	TCPRT_PHASE_LAST_ACKS = 5,  /* the whole response on the wire, waiting for the peer's ACKs */
};

/* Protocol endings that are not failures, one bit each. */
enum tcprt_protocol_end {
	TCPRT_END_TLS_CLOSE_NOTIFY_IN = 1 << 0,  /* https: the client's close_notify */
	TCPRT_END_TLS_CLOSE_NOTIFY_OUT = 1 << 1, /* https: our close_notify */
	TCPRT_END_MYSQL_QUIT = 1 << 2,           /* default mode: the client's last request was a COM_QUIT */
};

struct tcprt_close {
	__u8 first;        /* enum tcprt_close_event: the first closing event */
	__u8 reset;        /* enum tcprt_close_event: a reset after it (RST_IN, RST_OUT, TIMEOUT), else 0 */
	__u8 phase;        /* enum tcprt_close_phase at the first closing event */
	__u8 protocol_end; /* enum tcprt_protocol_end bits */
	__u32 phase_us;    /* time spent in that phase until the first closing event */
};
TCPRT_ASSERT_SIZE(tcprt_close, 8);
TCPRT_ASSERT_FIELD(tcprt_close, first, 0);
TCPRT_ASSERT_FIELD(tcprt_close, reset, 1);
TCPRT_ASSERT_FIELD(tcprt_close, phase, 2);
TCPRT_ASSERT_FIELD(tcprt_close, protocol_end, 3);
TCPRT_ASSERT_FIELD(tcprt_close, phase_us, 4);

/*
 * The kernel's TCP chronographs over one task (tcp_info's tcpi_busy_time, tcpi_rwnd_limited,
 * tcpi_sndbuf_limited), from task start to the record: R and W records of the server side.
 * busy_us covers all three states (data in flight or queued); the chronographs count jiffies.
 */
struct tcprt_download {
	__u32 busy_us;
	__u32 rwnd_limited_us;   /* stalled by the client's receive window */
	__u32 sndbuf_limited_us; /* the application blocked on a full send buffer */
	__u8 measured;           /* 1: the fields are set (the kernel's HZ is known) */
	__u8 reserved[3];
};
TCPRT_ASSERT_SIZE(tcprt_download, 16);
TCPRT_ASSERT_FIELD(tcprt_download, busy_us, 0);
TCPRT_ASSERT_FIELD(tcprt_download, rwnd_limited_us, 4);
TCPRT_ASSERT_FIELD(tcprt_download, sndbuf_limited_us, 8);
TCPRT_ASSERT_FIELD(tcprt_download, measured, 12);
TCPRT_ASSERT_FIELD(tcprt_download, reserved, 13);

/* http mode: bytes of a request's target the kernel keeps per task (struct tcprt_http.path). */
#define TCPRT_HTTP_PATH_MAX 96

/* A request line's method (0: the task's request line was not seen). */
enum tcprt_http_method {
	TCPRT_HTTP_NONE = 0,
	TCPRT_HTTP_GET = 1,
	TCPRT_HTTP_HEAD = 2,
	TCPRT_HTTP_POST = 3,
	TCPRT_HTTP_PUT = 4,
	TCPRT_HTTP_DELETE = 5,
	TCPRT_HTTP_PATCH = 6,
	TCPRT_HTTP_OPTIONS = 7,
	TCPRT_HTTP_CONNECT = 8,
	TCPRT_HTTP_TRACE = 9,
	TCPRT_HTTP_OTHER = 10, /* no known method token followed by a space: the path is left empty */
};

/*
 * What an http-mode task's request line and response status line said (R and W of http ports,
 * bpf/http.h). Never the query string, the headers or the body: `path` holds the request target up
 * to its first '?', '#' or space, at most TCPRT_HTTP_PATH_MAX bytes, and zeros after path_len.
 */
struct tcprt_http {
	__u8 method;         /* enum tcprt_http_method */
	__u8 path_len;       /* bytes of path; 0 also when the target held bytes that are not printable ASCII */
	__u8 path_truncated; /* the target went on beyond the bytes kept */
	__u8 reserved;
	__u16 status;        /* from the response's status line (100–999); 0: none seen */
	__u16 reserved2;
	char path[TCPRT_HTTP_PATH_MAX]; /* not NUL-terminated */
};
TCPRT_ASSERT_SIZE(tcprt_http, 104);
TCPRT_ASSERT_FIELD(tcprt_http, method, 0);
TCPRT_ASSERT_FIELD(tcprt_http, path_len, 1);
TCPRT_ASSERT_FIELD(tcprt_http, path_truncated, 2);
TCPRT_ASSERT_FIELD(tcprt_http, reserved, 3);
TCPRT_ASSERT_FIELD(tcprt_http, status, 4);
TCPRT_ASSERT_FIELD(tcprt_http, reserved2, 6);
TCPRT_ASSERT_FIELD(tcprt_http, path, 8);
_Static_assert(TCPRT_HTTP_PATH_MAX < 256, "struct tcprt_http: path_len is a __u8");

enum tcprt_record_type {
	TCPRT_RECORD_R = 'R',
	TCPRT_RECORD_W = 'W',
	TCPRT_RECORD_N = 'N',
	TCPRT_RECORD_E = 'E',
	TCPRT_RECORD_P = 'P',
};

/*
 * One finished record. Times are CLOCK_MONOTONIC (bpf_ktime_get_ns); the loader reports the
 * realtime−monotonic offset in its health frames so user space can print wall-clock headers.
 * Durations are already µs (truncating division). Addresses are network order: IPv4 uses the
 * first 4 bytes of the 16, IPv6 all 16 (an IPv4-mapped IPv6 address stays as the kernel has it).
 *
 * Field use by type (unused fields are 0):
 *   R  bytes_sent=response bytes, total_us=T3−T0, process_us=T2−T1, upload_us=T1−T0,
 *      bytes_received=request bytes, srtt_us/cwnd at task end; in http/https mode also
 *      extensions, handshake_us (when handshake_timed) and first_frame (when extension F)
 *   W  as R, but total_us=elapsed since T0 and bytes_unacked=sent but unacknowledged
 *   N  total_us=elapsed since T0, bytes_received=bytes of the unfinished request
 *   E  bytes_sent/bytes_received/bytes_unacked over the connection, retrans=lifetime total,
 *      start_ns=start of the connection's last task
 *   P  bytes_sent=request bytes, total_us=first send → last response byte, service_us,
 *      receive_us, bytes_received=response bytes, srtt_us/cwnd at task end
 * From `extensions` on is the tail, which only some records carry through the ring: R of
 * http/https ports; R and W with a download the chronographs saw (`download`); every E (`close`).
 * Its last part, `http`, only R and W of http ports carry (their request and response lines).
 */
struct tcprt_record {
	__u16 version; /* TCPRT_RECORD_VERSION */
	__u8 type;     /* enum tcprt_record_type */
	__u8 family;   /* 4 or 6: address family of the socket */
	__u8 side;     /* enum tcprt_side */
	__u8 mode;     /* enum tcprt_mode */
	__u8 reorder;  /* 1 when the out-of-order queue was non-empty while receiving */
	__u8 reserved;
	__u16 local_port;  /* host order */
	__u16 remote_port; /* host order */
	__u32 task_num;
	__u8 local_addr[16];
	__u8 remote_addr[16];
	__u64 start_ns;
	__u64 bytes_sent;
	__u64 bytes_received;
	__u64 bytes_unacked;
	__u64 total_us;
	__u64 process_us;
	__u64 upload_us;
	__u64 service_us;
	__u64 receive_us;
	__u32 min_rtt_us; /* 4294967295 when the socket had no RTT sample */
	__u32 retrans;
	__u32 mss;
	__u32 srtt_us;
	__u32 cwnd;
	__u8 extensions;     /* enum tcprt_extension bits (R records of http/https ports) */
	__u8 handshake_timed; /* handshake_us is set: a TLS 1.3 handshake task */
	__u8 reserved2[2];
	__u32 handshake_us; /* ClientHello received → client Finished received */
	__u32 reserved3;
	struct tcprt_first_frame first_frame[TCPRT_FIRST_FRAME_STEPS];
	struct tcprt_close close;       /* E */
	struct tcprt_download download; /* R, W of the server side */
	struct tcprt_http http;         /* R, W of http ports */
};
TCPRT_ASSERT_SIZE(tcprt_record, 344);
TCPRT_ASSERT_FIELD(tcprt_record, version, 0);
TCPRT_ASSERT_FIELD(tcprt_record, type, 2);
TCPRT_ASSERT_FIELD(tcprt_record, family, 3);
TCPRT_ASSERT_FIELD(tcprt_record, side, 4);
TCPRT_ASSERT_FIELD(tcprt_record, mode, 5);
TCPRT_ASSERT_FIELD(tcprt_record, reorder, 6);
TCPRT_ASSERT_FIELD(tcprt_record, reserved, 7);
TCPRT_ASSERT_FIELD(tcprt_record, local_port, 8);
TCPRT_ASSERT_FIELD(tcprt_record, remote_port, 10);
TCPRT_ASSERT_FIELD(tcprt_record, task_num, 12);
TCPRT_ASSERT_FIELD(tcprt_record, local_addr, 16);
TCPRT_ASSERT_FIELD(tcprt_record, remote_addr, 32);
TCPRT_ASSERT_FIELD(tcprt_record, start_ns, 48);
TCPRT_ASSERT_FIELD(tcprt_record, bytes_sent, 56);
TCPRT_ASSERT_FIELD(tcprt_record, bytes_received, 64);
TCPRT_ASSERT_FIELD(tcprt_record, bytes_unacked, 72);
TCPRT_ASSERT_FIELD(tcprt_record, total_us, 80);
TCPRT_ASSERT_FIELD(tcprt_record, process_us, 88);
TCPRT_ASSERT_FIELD(tcprt_record, upload_us, 96);
TCPRT_ASSERT_FIELD(tcprt_record, service_us, 104);
TCPRT_ASSERT_FIELD(tcprt_record, receive_us, 112);
TCPRT_ASSERT_FIELD(tcprt_record, min_rtt_us, 120);
TCPRT_ASSERT_FIELD(tcprt_record, retrans, 124);
TCPRT_ASSERT_FIELD(tcprt_record, mss, 128);
TCPRT_ASSERT_FIELD(tcprt_record, srtt_us, 132);
TCPRT_ASSERT_FIELD(tcprt_record, cwnd, 136);
TCPRT_ASSERT_FIELD(tcprt_record, extensions, 140);
TCPRT_ASSERT_FIELD(tcprt_record, handshake_timed, 141);
TCPRT_ASSERT_FIELD(tcprt_record, reserved2, 142);
TCPRT_ASSERT_FIELD(tcprt_record, handshake_us, 144);
TCPRT_ASSERT_FIELD(tcprt_record, reserved3, 148);
TCPRT_ASSERT_FIELD(tcprt_record, first_frame, 152);
TCPRT_ASSERT_FIELD(tcprt_record, close, 216);
TCPRT_ASSERT_FIELD(tcprt_record, download, 224);
TCPRT_ASSERT_FIELD(tcprt_record, http, 240);

/*
 * In the ring buffer, records without extensions end before `extensions`, and records with a tail
 * but no HTTP exchange before `http` (the kernel writes fewer cache lines); the loader zero-fills
 * the rest, so the frame stream always carries whole records.
 */
#define TCPRT_RECORD_CORE_BYTES __builtin_offsetof(struct tcprt_record, extensions)
#define TCPRT_RECORD_TAIL_BYTES __builtin_offsetof(struct tcprt_record, http)

/* ---- Kernel → loader ring buffer ------------------------------------------------------------
 * Never leaves the loader, which turns every entry back into whole struct tcprt_record frames.
 * The per-request records (R of default-mode servers, P) are written compact: a connection's
 * identity (addresses, ports) goes into the ring once, when it is established, and each task
 * entry names it by id. Writing into the ring costs by the cache line: a compact task entry
 * with the ring's own header fills one, a whole record three.
 *
 * A ring sample holds one entry (an identity always comes alone) or a batch of them
 * (bpf/ring.h): entries back to back, each starting at a multiple of 8 bytes. The kind says an
 * entry's size (tcprt_ring_entry_bytes).
 */
enum tcprt_ring_kind {
	TCPRT_RING_CONN = 1,   /* struct tcprt_ring_conn: a connection now tracked */
	TCPRT_RING_TASK = 2,   /* struct tcprt_ring_task: an R or P record, compact */
	TCPRT_RING_RECORD = 3, /* struct tcprt_ring_record up to TCPRT_RECORD_CORE_BYTES: any other record, whole
				  (E ends the connection) */
	TCPRT_RING_RECORD_EXTENDED = 4, /* struct tcprt_ring_record up to TCPRT_RECORD_TAIL_BYTES: a record with its
					   tail but no HTTP exchange (see struct tcprt_record) */
	TCPRT_RING_RECORD_HTTP = 5,     /* struct tcprt_ring_record in full: R and W of http ports */
};

/*
 * conn_id is the low half of the socket's cookie (unique per socket since boot): two tracked
 * connections share an id only when four billion cookies were handed out during the older one.
 */
struct tcprt_ring_header {
	__u8 kind; /* enum tcprt_ring_kind */
	__u8 reserved[3];
	__u32 conn_id;
};

/* Who a connection is, fixed at establishment (addresses as in struct tcprt_record). */
struct tcprt_conn_identity {
	__u8 family; /* 4 or 6 */
	__u8 side;   /* enum tcprt_side */
	__u8 mode;   /* enum tcprt_mode */
	__u8 reserved;
	__u16 local_port;  /* host order */
	__u16 remote_port; /* host order */
	__u8 local_addr[16];
	__u8 remote_addr[16];
};

struct tcprt_ring_conn {
	struct tcprt_ring_header header;
	struct tcprt_conn_identity identity;
};

/*
 * An R or P record whose values fit: byte counts are 32-bit already (sequence-number
 * differences); a task longer than 71 minutes or with 65,536 retransmissions goes whole. Laid
 * out to the byte (56, the ring's own 8-byte header makes 64); it starts like every entry.
 */
struct tcprt_ring_task {
	__u8 kind; /* TCPRT_RING_TASK */
	__u8 type; /* TCPRT_RECORD_R or TCPRT_RECORD_P */
	__u16 mss;
	__u32 conn_id;
	__u32 task_num;
	__u16 retrans;
	__u8 reorder;
	__u8 reserved;
	__u64 start_ns;
	__u32 bytes_sent;
	__u32 bytes_received;
	__u32 total_us;
	__u32 server_us;   /* R: process time, P: service time */
	__u32 transfer_us; /* R: upload time, P: response receive time */
	__u32 min_rtt_us;
	__u32 srtt_us;
	__u32 cwnd;
};
_Static_assert(sizeof(struct tcprt_ring_task) == 56 &&
		       __builtin_offsetof(struct tcprt_ring_task, conn_id) ==
			       __builtin_offsetof(struct tcprt_ring_header, conn_id),
	       "struct tcprt_ring_task: 56 bytes, starting like struct tcprt_ring_header");

struct tcprt_ring_record {
	struct tcprt_ring_header header;
	struct tcprt_record record; /* up to TCPRT_RECORD_CORE_BYTES or TCPRT_RECORD_TAIL_BYTES, by kind */
};

#define TCPRT_RING_RECORD_CORE_BYTES (sizeof(struct tcprt_ring_header) + TCPRT_RECORD_CORE_BYTES)
#define TCPRT_RING_RECORD_TAIL_BYTES (sizeof(struct tcprt_ring_header) + TCPRT_RECORD_TAIL_BYTES)
#define TCPRT_RING_ALIGN 8

/* Size of an entry of this kind (0: not a kind); the next one starts at the next multiple of 8. */
static inline __attribute__((always_inline)) __u32 tcprt_ring_entry_bytes(__u8 kind)
{
	switch (kind) {
	case TCPRT_RING_CONN:
		return sizeof(struct tcprt_ring_conn);
	case TCPRT_RING_TASK:
		return sizeof(struct tcprt_ring_task);
	case TCPRT_RING_RECORD:
		return TCPRT_RING_RECORD_CORE_BYTES;
	case TCPRT_RING_RECORD_EXTENDED:
		return TCPRT_RING_RECORD_TAIL_BYTES;
	case TCPRT_RING_RECORD_HTTP:
		return sizeof(struct tcprt_ring_record);
	}
	return 0;
}

/*
 * What the loader's flush program (SEC("raw_tp") tcprt_flush, run for each batch) returns when
 * another program was using that batch at that instant: try again.
 */
#define TCPRT_FLUSH_BATCH_TAKEN 1

/* A record's identity fields: the kernel fills whole records with it, the loader compact ones. */
static inline __attribute__((always_inline)) void tcprt_record_identify(struct tcprt_record *r,
									const struct tcprt_conn_identity *id)
{
	r->family = id->family;
	r->side = id->side;
	r->mode = id->mode;
	r->local_port = id->local_port;
	r->remote_port = id->remote_port;
	__builtin_memcpy(r->local_addr, id->local_addr, sizeof(r->local_addr));
	__builtin_memcpy(r->remote_addr, id->remote_addr, sizeof(r->remote_addr));
}

/* ---- Loader → agent frame stream (stdout, little-endian) ----------------------------------
 * Stream header (struct tcprt_stream_header), then frames: struct tcprt_frame_header, payload.
 * A reader skips frame types it does not know.
 */
#define TCPRT_STREAM_MAGIC "TCRT"
#define TCPRT_STREAM_VERSION 1

struct tcprt_stream_header {
	char magic[4]; /* TCPRT_STREAM_MAGIC, no NUL */
	__u16 stream_version; /* TCPRT_STREAM_VERSION */
	__u16 record_version; /* TCPRT_RECORD_VERSION */
};
TCPRT_ASSERT_SIZE(tcprt_stream_header, 8);
TCPRT_ASSERT_FIELD(tcprt_stream_header, magic, 0);
TCPRT_ASSERT_FIELD(tcprt_stream_header, stream_version, 4);
TCPRT_ASSERT_FIELD(tcprt_stream_header, record_version, 6);

enum tcprt_frame_type {
	TCPRT_FRAME_RECORD = 1,     /* payload: struct tcprt_record */
	TCPRT_FRAME_HEALTH = 2,     /* payload: struct tcprt_health */
	TCPRT_FRAME_CONFIG_ACK = 3, /* payload: struct tcprt_config_ack */
};

struct tcprt_frame_header {
	__u16 type; /* enum tcprt_frame_type */
	__u16 reserved; /* 0 */
	__u32 length; /* of the payload that follows */
};
TCPRT_ASSERT_SIZE(tcprt_frame_header, 8);
TCPRT_ASSERT_FIELD(tcprt_frame_header, type, 0);
TCPRT_ASSERT_FIELD(tcprt_frame_header, reserved, 2);
TCPRT_ASSERT_FIELD(tcprt_frame_header, length, 4);

enum tcprt_hook {
	TCPRT_HOOK_SOCKOPS = 1 << 0,
	TCPRT_HOOK_EGRESS = 1 << 1,
	TCPRT_HOOK_TCP_PROBE = 1 << 2,
	TCPRT_HOOK_INGRESS = 1 << 3,
	TCPRT_HOOK_RECEIVE_RESET = 1 << 4,
};

/* How entries reach the ring buffer (bpf/ring.h): the loader picks the build by probing the kernel. */
enum tcprt_ring_path {
	TCPRT_RING_BATCHED = 0, /* per-CPU batches (BPF compare-and-swap, kernel 5.12+) */
	TCPRT_RING_DIRECT = 1,  /* every entry straight into the ring buffer */
};

/* Sent once right after attaching, then every second. Counters are cumulative since start. */
struct tcprt_health {
	__s64 realtime_minus_monotonic_ns;
	__u64 lost_ringbuf_full;
	__u64 lost_storage_alloc;
	__u64 conns_tracked;
	__u64 records_written;
	__u32 attached_hooks; /* enum tcprt_hook bits (egress, ingress: usable, attached with the first http/https rule) */
	__u32 active;
	__u32 generation;
	__u32 port_rules;  /* single-port rules in the active generation */
	__u32 range_rules; /* range rules in the active generation */
	__u32 ring_path;   /* enum tcprt_ring_path: which build of the programs runs */
};
TCPRT_ASSERT_SIZE(tcprt_health, 64);
TCPRT_ASSERT_FIELD(tcprt_health, realtime_minus_monotonic_ns, 0);
TCPRT_ASSERT_FIELD(tcprt_health, lost_ringbuf_full, 8);
TCPRT_ASSERT_FIELD(tcprt_health, lost_storage_alloc, 16);
TCPRT_ASSERT_FIELD(tcprt_health, conns_tracked, 24);
TCPRT_ASSERT_FIELD(tcprt_health, records_written, 32);
TCPRT_ASSERT_FIELD(tcprt_health, attached_hooks, 40);
TCPRT_ASSERT_FIELD(tcprt_health, active, 44);
TCPRT_ASSERT_FIELD(tcprt_health, generation, 48);
TCPRT_ASSERT_FIELD(tcprt_health, port_rules, 52);
TCPRT_ASSERT_FIELD(tcprt_health, range_rules, 56);
TCPRT_ASSERT_FIELD(tcprt_health, ring_path, 60);

/* Answer to one stdin command line, matched by its id. */
struct tcprt_config_ack {
	__u32 id;
	__s32 error; /* 0, or a negative errno */
	char message[120]; /* NUL-terminated; empty on success */
};
TCPRT_ASSERT_SIZE(tcprt_config_ack, 128);
TCPRT_ASSERT_FIELD(tcprt_config_ack, id, 0);
TCPRT_ASSERT_FIELD(tcprt_config_ack, error, 4);
TCPRT_ASSERT_FIELD(tcprt_config_ack, message, 8);

#endif /* TCPRT_H */
