// SPDX-License-Identifier: GPL-2.0
/*
 * tcprt-ring-reader-check: the loader's reading of ring entries (loader/ring_entry.c) and its
 * table of connection identities (loader/conn_table.c), without a kernel. Prints one line per
 * check and exits 1 on the first failure; run by apps/agent/src/collector/ring-reader-c.test.ts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "loader/ring_entry.h"

static int failures;

static void check(bool ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAILED", what);
	if (!ok)
		failures++;
}

static struct tcprt_ring_conn identity(__u32 conn_id)
{
	struct tcprt_ring_conn c = { .header = { .kind = TCPRT_RING_CONN, .conn_id = conn_id } };

	c.identity.family = 4 + 2 * (conn_id & 1);
	c.identity.side = conn_id % 3 == 0;
	c.identity.mode = conn_id % 5 == 0;
	c.identity.local_port = (__u16)conn_id;
	c.identity.remote_port = (__u16)(conn_id >> 16);
	memcpy(c.identity.local_addr, &conn_id, sizeof(conn_id));
	c.identity.remote_addr[15] = (__u8)conn_id;
	return c;
}

/* Random puts and removals against a plain array: ids from a small range collide and recur. */
static void check_table_against_reference(void)
{
	enum { IDS = 5000, OPS = 400000 };
	static bool present[IDS];
	struct conn_table t = { 0 };
	size_t live = 0, i, op;
	bool same = true;

	srand(1);
	for (op = 0; op < OPS && same; op++) {
		/* Spread over the 32-bit space, as cookies of a long-running machine are. */
		__u32 n = (__u32)rand() % IDS, id = n * 2654435u + 7u;

		if (rand() % 3) {
			struct tcprt_ring_conn c = identity(id);

			if (conn_table_put(&t, &c))
				same = false;
			live += !present[n];
			present[n] = true;
		} else {
			conn_table_remove(&t, id);
			live -= present[n];
			present[n] = false;
		}
		if (op % 997 == 0 || op == OPS - 1) {
			for (i = 0; i < IDS; i++) {
				const struct tcprt_ring_conn *got = conn_table_get(&t, (__u32)i * 2654435u + 7u);
				struct tcprt_ring_conn want = identity((__u32)i * 2654435u + 7u);

				if (present[i] != (got != NULL) || (got && memcmp(got, &want, sizeof(want))))
					same = false;
			}
			same = same && t.count == live;
		}
	}
	check(same, "conn table: 400000 random puts and removals agree with a plain array");
	conn_table_free(&t);
}

static struct tcprt_ring_task task(__u8 type, __u32 conn_id)
{
	return (struct tcprt_ring_task){
		.kind = TCPRT_RING_TASK, .type = type, .mss = 1448, .conn_id = conn_id, .task_num = 3,
		.retrans = 2, .reorder = 1, .start_ns = 123456789012345ULL, .bytes_sent = 4000000000u,
		.bytes_received = 77, .total_us = 4000000000u, .server_us = 200000, .transfer_us = 99,
		.min_rtt_us = 0xffffffffu, .srtt_us = 31, .cwnd = 10,
	};
}

static void check_entries(void)
{
	struct ring_reader reader = { 0 };
	struct tcprt_ring_conn conn = identity(45);
	const struct tcprt_conn_identity *id = &conn.identity;
	struct tcprt_ring_task r_task = task(TCPRT_RECORD_R, 45), p_task = task(TCPRT_RECORD_P, 45);
	struct tcprt_ring_record whole;
	struct tcprt_record out;
	bool got;

	check(!ring_entry_read(&reader, &conn, sizeof(conn), &out), "identity entry: no record of its own");

	memset(&out, 0xff, sizeof(out));
	got = ring_entry_read(&reader, &r_task, sizeof(r_task), &out);
	check(got && out.version == TCPRT_RECORD_VERSION && out.type == 'R' && out.family == 6 && out.side == 1 &&
		      out.mode == 1 && out.local_port == 45 && out.remote_port == 0 &&
		      !memcmp(out.local_addr, id->local_addr, 16) && !memcmp(out.remote_addr, id->remote_addr, 16),
	      "R task: identity from its connection");
	check(got && out.task_num == 3 && out.reorder == 1 && out.start_ns == 123456789012345ULL &&
		      out.bytes_sent == 4000000000u && out.bytes_received == 77 && out.total_us == 4000000000u &&
		      out.process_us == 200000 && out.upload_us == 99 && out.service_us == 0 && out.receive_us == 0 &&
		      out.min_rtt_us == 0xffffffffu && out.retrans == 2 && out.mss == 1448 && out.srtt_us == 31 &&
		      out.cwnd == 10 && out.bytes_unacked == 0 && out.extensions == 0,
	      "R task: values in process/upload, the rest zero");

	got = ring_entry_read(&reader, &p_task, sizeof(p_task), &out);
	check(got && out.type == 'P' && out.service_us == 200000 && out.receive_us == 99 && out.process_us == 0 &&
		      out.upload_us == 0,
	      "P task: values in service/receive");

	memset(&whole, 0, sizeof(whole));
	whole.header = (struct tcprt_ring_header){ .kind = TCPRT_RING_RECORD, .conn_id = 45 };
	whole.record.type = TCPRT_RECORD_E;
	whole.record.bytes_sent = 5;
	memset(&out, 0xff, sizeof(out));
	got = ring_entry_read(&reader, &whole, TCPRT_RING_RECORD_CORE_BYTES, &out);
	check(got && out.type == 'E' && out.bytes_sent == 5 && out.extensions == 0 && out.first_frame[3].bytes == 0,
	      "whole record without its tail: delivered whole, tail zero");

	got = ring_entry_read(&reader, &r_task, sizeof(r_task), &out);
	check(!got && reader.unnamed == 1, "task after its connection's E: not delivered, counted");

	check(!ring_entry_read(&reader, &r_task, sizeof(r_task) - 8, &out) &&
		      !ring_entry_read(&reader, &conn, 3, &out),
	      "entries of the wrong size: skipped");
	ring_reader_free(&reader);
}

int main(void)
{
	check_table_against_reference();
	check_entries();
	printf("%d failed\n", failures);
	return failures ? 1 : 0;
}
