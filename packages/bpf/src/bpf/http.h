/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HTTP as seen from the wire (http mode; in https mode the lines are encrypted and cannot be seen).
 *
 * Request lines (cgroup_skb/ingress). A task's request line is read from the segment that starts
 * the task, once: the method token, and the request target up to its first '?', '#' or space, at
 * most TCPRT_HTTP_PATH_MAX bytes (tcprt.h, struct tcprt_http). Never the query string, the headers
 * or the body: the bytes after the path are not kept. A target with a byte that is not printable
 * ASCII keeps no path; a target that goes on beyond the bytes kept (longer than the bound, or cut
 * by the end of the segment) is marked truncated; no known method token is OTHER, with no path.
 *
 * Ingress runs before the socket lock is taken and before tcp_probe sees the same segment (which
 * may then wait in the socket's backlog), so which segment starts a task is not known there yet.
 * It reads a segment that starts exactly at rcv_nxt while no request is being received (the stage
 * is not STAGE_REQUEST): in-order data that the state machine will take for a new task unless a
 * segment ahead of it is still in the backlog, and then it does not start at rcv_nxt. The line goes
 * into the one of two slots that the current task does not use, marked with its sequence number;
 * the task that starts there takes that slot (http_task_start, under the socket lock). Two slots,
 * because the next request arrives before the current task's record is written. Pipelined
 * requests are one task to the state machine; the first request line is that task's.
 *
 * Status lines (cgroup_skb/egress): the first new segment of a task's response, when it starts
 * with "HTTP/1.x NNN". An interim "HTTP/1.x 100" line marks the task (extension C): it is only
 * ever sent in answer to a request with `Expect: 100-continue` (RFC 9110 §10.1.1), and the state
 * machine sees that exchange as a task of its own (the interim line is the response, the body
 * opens the next task), which keeps the request line of the task before it.
 *
 * Request ends (cgroup_skb/ingress): a segment that ends with the blank line that ends a request's
 * headers (close.h).
 */
#ifndef TCPRT_BPF_HTTP_H
#define TCPRT_BPF_HTTP_H

#define HTTP_STATUS_LINE_HEAD_BYTES 12 /* "HTTP/1.1 200" */
#define HTTP_STATUS_CONTINUE 100

/* One request line as read from the segment at `seq`. */
struct http_request {
	__u32 seq;
	__u8 method; /* enum tcprt_http_method; 0: not read */
	__u8 path_len;
	__u8 path_truncated;
	__u8 reserved;
	char path[TCPRT_HTTP_PATH_MAX] __attribute__((aligned(8))); /* zeros after path_len; whole words */
};

/* A connection's HTTP state (http mode, server side). */
struct http_conn {
	struct http_request requests[2]; /* ingress writes the one the current task does not use */
	__u8 current;                    /* requests[current] is the current task's, when task_has_request */
	__u8 task_has_request;
	__u16 status; /* of the current task's response; 0 until its status line is seen */
};

/* The first `n` bytes of the little-endian word `head` are `token` (n ≤ 8). */
static __always_inline bool http_head_is(__u64 head, __u64 token, __u32 n)
{
	return (n == 8 ? head : head & ((1ULL << (n * 8)) - 1)) == token;
}

/* Little-endian word of up to eight characters, as bpf_skb_load_bytes leaves them in a __u64. */
#define HTTP_WORD(a, b, c, d, e, f, g, h)                                                                   \
	((__u64)(a) | (__u64)(b) << 8 | (__u64)(c) << 16 | (__u64)(d) << 24 | (__u64)(e) << 32 |           \
	 (__u64)(f) << 40 | (__u64)(g) << 48 | (__u64)(h) << 56)

/* The method that `head` (the first bytes of a request) starts with, and its length with the space. */
static __always_inline __u8 http_method(__u64 head, __u32 *len)
{
#define HTTP_METHOD_IS(code, n, ...)                                                                      \
	if (http_head_is(head, HTTP_WORD(__VA_ARGS__), n)) {                                              \
		*len = n;                                                                                  \
		return code;                                                                               \
	}
	HTTP_METHOD_IS(TCPRT_HTTP_GET, 4, 'G', 'E', 'T', ' ', 0, 0, 0, 0)
	HTTP_METHOD_IS(TCPRT_HTTP_POST, 5, 'P', 'O', 'S', 'T', ' ', 0, 0, 0)
	HTTP_METHOD_IS(TCPRT_HTTP_HEAD, 5, 'H', 'E', 'A', 'D', ' ', 0, 0, 0)
	HTTP_METHOD_IS(TCPRT_HTTP_PUT, 4, 'P', 'U', 'T', ' ', 0, 0, 0, 0)
	HTTP_METHOD_IS(TCPRT_HTTP_DELETE, 7, 'D', 'E', 'L', 'E', 'T', 'E', ' ', 0)
	HTTP_METHOD_IS(TCPRT_HTTP_PATCH, 6, 'P', 'A', 'T', 'C', 'H', ' ', 0, 0)
	HTTP_METHOD_IS(TCPRT_HTTP_OPTIONS, 8, 'O', 'P', 'T', 'I', 'O', 'N', 'S', ' ')
	HTTP_METHOD_IS(TCPRT_HTTP_CONNECT, 8, 'C', 'O', 'N', 'N', 'E', 'C', 'T', ' ')
	HTTP_METHOD_IS(TCPRT_HTTP_TRACE, 6, 'T', 'R', 'A', 'C', 'E', ' ', 0, 0)
#undef HTTP_METHOD_IS
	*len = 0;
	return TCPRT_HTTP_OTHER;
}

#define HTTP_PATH_WORDS (TCPRT_HTTP_PATH_MAX / 8)
#define HTTP_BYTES(c) (0x0101010101010101ULL * (__u8)(c))

/*
 * Non-zero when a byte of the word `x` may end a path or not be printable ASCII: below '!' (space,
 * control bytes, the zeros after the bytes loaded), above '~', '?' or '#'. Every such byte is
 * flagged (borrows and carries can flag more, never fewer), so a word without flags is eight path
 * bytes: the scan skips it whole.
 */
static __always_inline __u64 http_path_stops(__u64 x)
{
	__u64 question = x ^ HTTP_BYTES('?'), hash = x ^ HTTP_BYTES('#');
	__u64 below = (x - HTTP_BYTES('!')) & ~x;
	__u64 above = (x + HTTP_BYTES(0x7f - '~')) | x;
	__u64 zero_question = (question - HTTP_BYTES(1)) & ~question;
	__u64 zero_hash = (hash - HTTP_BYTES(1)) & ~hash;

	return (below | above | zero_question | zero_hash) & HTTP_BYTES(0x80);
}

/* What a byte of the target is to the path: one of its bytes, its end, or a byte that is not printable. */
enum http_path_byte { HTTP_PATH_BYTE = 0, HTTP_PATH_END = 1, HTTP_PATH_NOT_PRINTABLE = 2 };

static __always_inline enum http_path_byte http_path_byte(char c)
{
	if (c == ' ' || c == '?' || c == '#')
		return HTTP_PATH_END;
	if (c <= ' ' || c > '~')
		return HTTP_PATH_NOT_PRINTABLE;
	return HTTP_PATH_BYTE;
}

/*
 * How many of the `seen` target bytes in `words` are the path: up to the first '?', '#' or space,
 * at most TCPRT_HTTP_PATH_MAX. *truncated: the target goes on beyond them. -1: a byte that is not
 * printable ASCII comes first. Eight bytes at a time while none of them stops it.
 */
static __always_inline int http_path_bytes(const __u64 *words, __u32 seen, __u8 *truncated)
{
	const char *b = (const char *)words;

	*truncated = 0;
	for (__u32 w = 0; w < HTTP_PATH_WORDS; w++) {
		if (!http_path_stops(words[w]))
			continue; /* eight path bytes, all within `seen` (the zeros after it stop a word) */
		for (__u32 i = w * 8; i < w * 8 + 8; i++) {
			if (i == seen) {
				*truncated = 1; /* the segment ends inside the target */
				return i;
			}
			switch (http_path_byte(b[i])) {
			case HTTP_PATH_END:
				return i;
			case HTTP_PATH_NOT_PRINTABLE:
				return -1;
			case HTTP_PATH_BYTE:
				break;
			}
		}
	}
	/* The bound: the target ends right after it (the byte that follows ends it) or is cut. */
	*truncated = seen == TCPRT_HTTP_PATH_MAX || http_path_byte(b[TCPRT_HTTP_PATH_MAX]) != HTTP_PATH_END;
	return TCPRT_HTTP_PATH_MAX;
}

/* The first `len` bytes of the target into `path`, zeros after them (whole words: no helper call). */
static __always_inline void http_keep_path(char *path, const __u64 *words, __u32 len)
{
	__u64 *out = (__u64 *)path;

	for (__u32 w = 0; w < HTTP_PATH_WORDS; w++) {
		__u32 keep = len > w * 8 ? len - w * 8 : 0;

		if (keep >= 8)
			out[w] = words[w];
		else if (keep == 0)
			out[w] = 0;
		else
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			out[w] = words[w] & ((1ULL << (keep * 8)) - 1);
#else
			out[w] = words[w] & ~(~0ULL >> (keep * 8));
#endif
	}
}

/*
 * min(available, max) as a size bpf_skb_load_bytes accepts, in [1, max]; 0: none. 64-bit (a bound
 * checked on a 32-bit copy does not reach the call's register). The lower bound comes from
 * arithmetic, not from a test against 0: older verifiers (Debian 12's 6.1) do not narrow a register
 * on `!= 0`, and refuse the load as possibly zero-sized. n − 1 wraps for 0, so one unsigned test
 * bounds both ends; the barrier keeps clang from turning it back into `n == 0 || n > max`.
 */
static __always_inline __u64 http_load_bytes(__u64 available, __u64 max)
{
	__u64 below = (available < max ? available : max) - 1;

	barrier_var(below);
	if (below >= max)
		return 0;
	return below + 1;
}

/* The method and path of the request line in the payload [offset, offset + len); 0 path bytes: none. */
static __always_inline int http_request_line(struct __sk_buff *skb, struct http_request *req, __u64 *target,
					     __u32 offset, __u32 len)
{
	__u32 method_len;
	__u64 head = 0, n;

	req->method = TCPRT_HTTP_OTHER;
	n = http_load_bytes(len, sizeof(head));
	if (n == 0 || bpf_skb_load_bytes(skb, offset, &head, n))
		return 0;
	req->method = http_method(head, &method_len);
	if (req->method == TCPRT_HTTP_OTHER || len <= method_len)
		return 0;
	n = http_load_bytes(len - method_len, TCPRT_HTTP_PATH_MAX + 1);
	if (n == 0 || bpf_skb_load_bytes(skb, offset + method_len, target, n))
		return 0;
	return http_path_bytes(target, n, &req->path_truncated);
}

/*
 * Reads the request line of the payload [offset, offset + len) (a segment starting at `seq` that
 * starts a request) into `req`.
 */
static __always_inline void http_read_request(struct __sk_buff *skb, struct http_request *req, __u32 offset,
					      __u32 len, __u32 seq)
{
	/* The target's bytes, one more than kept to tell a path of exactly the bound from a longer one. */
	__u64 target[HTTP_PATH_WORDS + 1] = {};
	int path_len;

	req->seq = seq;
	req->path_truncated = 0;
	path_len = http_request_line(skb, req, target, offset, len);
	if (path_len <= 0 || path_len > TCPRT_HTTP_PATH_MAX) {
		path_len = 0;
		req->path_truncated = 0;
	}
	req->path_len = path_len;
	/* Only the path itself is kept: the rest of the line (query string) never leaves the stack. */
	http_keep_path(req->path, target, path_len);
}

/* The status code of an HTTP/1.0 or 1.1 status line at `offset` (0: none). */
static __always_inline __u16 http_status(struct __sk_buff *skb, __u32 offset)
{
	char c[HTTP_STATUS_LINE_HEAD_BYTES];

	if (bpf_skb_load_bytes(skb, offset, c, sizeof(c)))
		return 0;
	if (!(c[0] == 'H' && c[1] == 'T' && c[2] == 'T' && c[3] == 'P' && c[4] == '/' && c[5] == '1' &&
	      c[6] == '.' && (c[7] == '0' || c[7] == '1') && c[8] == ' ' && c[9] >= '1' && c[9] <= '9' &&
	      c[10] >= '0' && c[10] <= '9' && c[11] >= '0' && c[11] <= '9'))
		return 0;
	return (c[9] - '0') * 100 + (c[10] - '0') * 10 + (c[11] - '0');
}

/* Where ingress reads the next task's request line: the slot the current task does not use. */
static __always_inline struct http_request *http_next_request(struct http_conn *h)
{
	return &h->requests[(h->current ^ 1) & 1];
}

/*
 * A task starts at `rcv_start` (under the socket lock): it takes the request line read from there.
 * The body that follows an interim 100 response keeps the request of the task before it.
 */
static __always_inline void http_task_start(struct http_conn *h, bool after_continue, __u32 rcv_start)
{
	__u8 next = (h->current ^ 1) & 1;

	h->status = 0;
	if (after_continue)
		return;
	h->current = next;
	h->task_has_request = h->requests[next].method && h->requests[next].seq == rcv_start;
}

/* The task's request and response lines into its record. */
static __always_inline void http_to_record(const struct http_conn *h, struct tcprt_http *r)
{
	const struct http_request *req = &h->requests[h->current & 1];

	r->status = h->status;
	if (!h->task_has_request)
		return;
	r->method = req->method;
	r->path_len = req->path_len;
	r->path_truncated = req->path_truncated;
	__builtin_memcpy(r->path, req->path, sizeof(r->path));
}

/*
 * True when the payload [offset, offset + len) ends with the blank line that ends a request's
 * headers: the request is complete unless a body follows (http mode sees only that much of a
 * request's end: a request with a body is never taken for complete).
 */
static __always_inline bool http_ends_headers(struct __sk_buff *skb, __u32 offset, __u32 len)
{
	char c[4];

	if (len < sizeof(c) || bpf_skb_load_bytes(skb, offset + len - sizeof(c), c, sizeof(c)))
		return false;
	return c[0] == '\r' && c[1] == '\n' && c[2] == '\r' && c[3] == '\n';
}

#endif
