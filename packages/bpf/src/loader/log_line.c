// SPDX-License-Identifier: GPL-2.0
/*
 * Hand-rolled number and address printing: this runs for every record at the rate the monitored
 * server answers requests, and snprintf's format parsing would be most of its cost.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "loader/log_line.h"

#define NS_PER_SEC 1000000000ULL
#define NS_PER_US 1000ULL

static const char DIGIT_PAIRS[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				  "8081828384858687888990919293949596979899";

static int decimal_digits(__u64 value)
{
	int digits = 1;

	for (; value >= 10000; value /= 10000)
		digits += 4;
	return digits + (value >= 10) + (value >= 100) + (value >= 1000);
}

/* Written backwards, two digits per division: the digit loop was a third of the formatting cost. */
static char *put_u64(char *p, __u64 value)
{
	char *end = p + decimal_digits(value), *at = end;

	while (value >= 100) {
		unsigned pair = (unsigned)(value % 100);

		value /= 100;
		at -= 2;
		at[0] = DIGIT_PAIRS[2 * pair];
		at[1] = DIGIT_PAIRS[2 * pair + 1];
	}
	if (value >= 10) {
		at[-2] = DIGIT_PAIRS[2 * value];
		at[-1] = DIGIT_PAIRS[2 * value + 1];
	} else {
		at[-1] = (char)('0' + value);
	}
	return end;
}

static char *put_s64(char *p, __s64 value)
{
	if (value >= 0)
		return put_u64(p, (__u64)value);
	*p++ = '-';
	return put_u64(p, -(__u64)value);
}

/* Every token of a line is followed by one space, the last one included (SPEC §2). */
static char *put_field(char *p, __u64 value)
{
	p = put_u64(p, value);
	*p++ = ' ';
	return p;
}

static char *put_ipv4(char *p, const __u8 *a)
{
	for (int i = 0; i < 4; i++) {
		if (i)
			*p++ = '.';
		p = put_u64(p, a[i]);
	}
	return p;
}

static char *put_hex_group(char *p, unsigned group)
{
	static const char hex[] = "0123456789abcdef";
	int shift = 12;

	while (shift > 0 && !(group >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		*p++ = hex[(group >> shift) & 0xf];
	return p;
}

static char *put_hex_groups(char *p, const unsigned *groups, int first, int end)
{
	for (int i = first; i < end; i++) {
		if (i > first)
			*p++ = ':';
		p = put_hex_group(p, groups[i]);
	}
	return p;
}

/* RFC 5952: lowercase, no leading zeros, the first longest run of two or more zero groups is "::". */
static char *put_ipv6(char *p, const __u8 *a)
{
	unsigned groups[8];
	int best_start = -1, best_length = 1;

	for (int i = 0; i < 8; i++)
		groups[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	for (int i = 0; i < 8;) {
		int j = i;

		while (j < 8 && groups[j] == 0)
			j++;
		if (j - i > best_length) {
			best_start = i;
			best_length = j - i;
		}
		i = j == i ? i + 1 : j;
	}
	if (best_start < 0)
		return put_hex_groups(p, groups, 0, 8);
	p = put_hex_groups(p, groups, 0, best_start);
	*p++ = ':';
	*p++ = ':';
	return put_hex_groups(p, groups, best_start + best_length, 8);
}

static bool is_ipv4_mapped(const __u8 *a)
{
	static const __u8 prefix[12] = { [10] = 0xff, [11] = 0xff };

	return memcmp(a, prefix, sizeof(prefix)) == 0;
}

/* "a.b.c.d:port ", or "[v6]:port "; an IPv4-mapped IPv6 address prints as IPv4 (SPEC §2). */
static char *put_endpoint(char *p, __u8 family, const __u8 *addr, __u16 port)
{
	if (family == 4) {
		p = put_ipv4(p, addr);
	} else if (is_ipv4_mapped(addr)) {
		p = put_ipv4(p, addr + 12);
	} else {
		*p++ = '[';
		p = put_ipv6(p, addr);
		*p++ = ']';
	}
	*p++ = ':';
	return put_field(p, port);
}

/*
 * "<sec> <usec> " of start + offset, truncating toward zero like the agent's BigInt arithmetic.
 * Outside 0..2^64−1 (never with real clocks) 128-bit arithmetic gives the same digits.
 */
static char *put_start_time(char *p, __u64 start_ns, __s64 offset_ns)
{
	__int128 wall = (__int128)start_ns + offset_ns;

	if (wall >= 0 && wall <= (__int128)UINT64_MAX) {
		__u64 ns = (__u64)wall;

		p = put_field(p, ns / NS_PER_SEC);
		return put_field(p, ns % NS_PER_SEC / NS_PER_US);
	}
	p = put_s64(p, (__s64)(wall / (__int128)NS_PER_SEC));
	*p++ = ' ';
	p = put_s64(p, (__s64)(wall % (__int128)NS_PER_SEC / (__int128)NS_PER_US));
	*p++ = ' ';
	return p;
}

static const char EXTENSION_LETTERS[] = "CZAHF"; /* bit i of tcprt_record.extensions */

/* "R" or "R.<letters>": extension letters exist on V7 R records only. */
static char *put_type(char *p, const struct tcprt_record *r, bool v7)
{
	*p++ = (char)r->type;
	if (r->type == TCPRT_RECORD_R && v7 && (r->extensions & ((1 << 5) - 1))) {
		*p++ = '.';
		for (int bit = 0; bit < 5; bit++)
			if (r->extensions & (1 << bit))
				*p++ = EXTENSION_LETTERS[bit];
	}
	*p++ = ' ';
	return p;
}

/* Fields 11 and up of a V7 R: srtt, cwnd, the TLS 1.3 handshake time, the first_frame tokens. */
static char *put_r_v7_fields(char *p, const struct tcprt_record *r)
{
	p = put_field(p, r->srtt_us);
	p = put_field(p, r->cwnd);
	if (r->handshake_timed && (r->extensions & TCPRT_EXT_H))
		p = put_field(p, r->handshake_us);
	if (!(r->extensions & TCPRT_EXT_F))
		return p;
	for (int i = 0; i < TCPRT_FIRST_FRAME_STEPS; i++) {
		const struct tcprt_first_frame *step = &r->first_frame[i];

		if (!step->step_bytes)
			continue; /* an unused step prints no token */
		p = put_u64(p, step->bytes);
		*p++ = ':';
		p = put_field(p, step->us);
	}
	return p;
}

/* Fields 1–5 of R, W and P: bytes sent, total time, min RTT, retransmits, task number. */
static char *put_task_head(char *p, const struct tcprt_record *r)
{
	p = put_field(p, r->bytes_sent);
	p = put_field(p, r->total_us);
	p = put_field(p, r->min_rtt_us);
	p = put_field(p, r->retrans);
	return put_field(p, r->task_num);
}

/* The last two fields of R, W, N and P: reorder flag, MSS. */
static char *put_reorder_mss(char *p, const struct tcprt_record *r)
{
	p = put_field(p, r->reorder ? 1 : 0);
	return put_field(p, r->mss);
}

/* The numbered fields of SPEC §2's table, per type. */
static char *put_fields(char *p, const struct tcprt_record *r, bool v7)
{
	switch (r->type) {
	case TCPRT_RECORD_R:
	case TCPRT_RECORD_W:
		p = put_task_head(p, r);
		p = put_field(p, r->process_us);
		p = put_field(p, r->upload_us);
		p = put_field(p, r->type == TCPRT_RECORD_R ? r->bytes_received : r->bytes_unacked);
		p = put_reorder_mss(p, r);
		return r->type == TCPRT_RECORD_R && v7 ? put_r_v7_fields(p, r) : p;
	case TCPRT_RECORD_N:
		p = put_field(p, r->task_num);
		p = put_field(p, r->total_us);
		p = put_field(p, r->bytes_received);
		return put_reorder_mss(p, r);
	case TCPRT_RECORD_E:
		p = put_field(p, r->task_num);
		p = put_field(p, r->bytes_sent);
		p = put_field(p, r->bytes_unacked);
		p = put_field(p, r->bytes_received);
		p = put_field(p, r->retrans);
		return put_field(p, r->min_rtt_us);
	default: /* TCPRT_RECORD_P */
		p = put_task_head(p, r);
		p = put_field(p, r->service_us);
		p = put_field(p, r->receive_us);
		p = put_field(p, r->bytes_received);
		return put_reorder_mss(p, r);
	}
}

static bool is_known_record(const struct tcprt_record *r)
{
	switch (r->type) {
	case TCPRT_RECORD_R:
	case TCPRT_RECORD_W:
	case TCPRT_RECORD_N:
	case TCPRT_RECORD_E:
	case TCPRT_RECORD_P:
		break;
	default:
		return false;
	}
	return r->version == TCPRT_RECORD_VERSION && (r->family == 4 || r->family == 6) &&
	       r->mode <= TCPRT_MODE_HTTPS;
}

size_t log_line_format(char *out, const struct tcprt_record *r, __s64 realtime_minus_monotonic_ns)
{
	/* Ports in http/https mode write V7 lines (SPEC §2), the rest V6. */
	bool v7 = r->mode != TCPRT_MODE_DEFAULT;
	char *p = out;

	if (!is_known_record(r))
		return 0;
	*p++ = 'V';
	*p++ = v7 ? '7' : '6';
	*p++ = ' ';
	p = put_type(p, r, v7);
	p = put_start_time(p, r->start_ns, realtime_minus_monotonic_ns);
	p = put_endpoint(p, r->family, r->remote_addr, r->remote_port);
	p = put_endpoint(p, r->family, r->local_addr, r->local_port);
	p = put_fields(p, r, v7);
	*p++ = '\n';
	return (size_t)(p - out);
}
