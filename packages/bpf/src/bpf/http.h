/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HTTP as seen from the wire (http mode, SPEC §2 R.C). A request with `Expect: 100-continue` is
 * answered by an interim status line before the client sends its body; the state machine already
 * sees that exchange as a task of its own (the interim line is the response, the body opens the
 * next task), so recognising the interim line is enough to mark it: a "HTTP/1.x 100 " status line
 * is only ever sent in answer to such a request (RFC 9110 §10.1.1). In https mode the line is
 * encrypted and cannot be seen.
 */
#ifndef TCPRT_BPF_HTTP_H
#define TCPRT_BPF_HTTP_H

#define HTTP_INTERIM_LINE_HEAD_BYTES 13 /* "HTTP/1.1 100 " */

/* True when the payload at `offset` starts with an HTTP/1.0 or 1.1 "100" status line. */
static __always_inline bool http_is_100_continue(struct __sk_buff *skb, __u32 offset)
{
	char c[HTTP_INTERIM_LINE_HEAD_BYTES];

	if (bpf_skb_load_bytes(skb, offset, c, sizeof(c)))
		return false;
	return c[0] == 'H' && c[1] == 'T' && c[2] == 'T' && c[3] == 'P' && c[4] == '/' && c[5] == '1' &&
	       c[6] == '.' && (c[7] == '0' || c[7] == '1') && c[8] == ' ' && c[9] == '1' && c[10] == '0' &&
	       c[11] == '0' && c[12] == ' ';
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
