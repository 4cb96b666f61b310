/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A record as its SPEC §2 log line (V6, or V7 for http/https ports), byte for byte what the
 * agent prints with formatLogLine(toTcprtRecord(...)) (packages/schema/src/log-line.ts,
 * apps/agent/src/collector/to-record.ts). apps/agent/src/collector/log-line-c.test.ts holds the
 * two to the same bytes on random records.
 */
#ifndef TCPRT_LOADER_LOG_LINE_H
#define TCPRT_LOADER_LOG_LINE_H

#include <stddef.h>
#include <linux/types.h>

#include "tcprt.h"

/*
 * Longest possible line: "V7 R.CZAHF " (11), a signed start time (20 + 1 + 7 + 2), two
 * "[IPv6]:port " endpoints (2 × 48), ten u64 fields (10 × 21), srtt, cwnd and handshake
 * (3 × 11), four "u64:u32 " first_frame tokens (4 × 32) and the newline: 529 bytes.
 */
#define LOG_LINE_MAX_BYTES 544

/*
 * Writes the line of r (ending in " \n") to out, which has room for LOG_LINE_MAX_BYTES, and
 * returns its length; 0 when r is not a record of this version (unknown type, family or mode).
 * realtime_minus_monotonic_ns turns the monotonic task start into the wall-clock header.
 */
size_t log_line_format(char *out, const struct tcprt_record *r, __s64 realtime_minus_monotonic_ns);

#endif
