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

/* What the reader delivered, in order. */
static struct tcprt_record delivered[16];
static size_t delivered_count;

static void collect(void *ctx, const struct tcprt_record *record)
{
	(void)ctx;
	if (delivered_count < sizeof(delivered) / sizeof(delivered[0]))
		delivered[delivered_count] = *record;
	delivered_count++;
}

static struct tcprt_ring_record whole(__u8 kind, __u8 type, __u32 conn_id)
{
	struct tcprt_ring_record e;

	memset(&e, 0, sizeof(e));
	e.header = (struct tcprt_ring_header){ .kind = kind, .conn_id = conn_id };
	e.record.type = type;
	e.record.bytes_sent = 5;
	return e;
}

/* A CPU's batch as the kernel lays it out: entries back to back, each at a multiple of 8. */
struct batch {
	_Alignas(8) __u8 data[1024];
	size_t used;
};

static void batch_add(struct batch *b, const void *entry, size_t bytes)
{
	memcpy(b->data + b->used, entry, bytes);
	memset(b->data + b->used + bytes, 0xee, 7); /* padding is not zeroed in the kernel either */
	b->used += (bytes + 7) & ~(size_t)7;
}

static void check_entries(void)
{
	struct ring_reader reader;
	struct tcprt_ring_conn conn = identity(45);
	const struct tcprt_conn_identity *id = &conn.identity;
	struct tcprt_ring_task r_task = task(TCPRT_RECORD_R, 45), p_task = task(TCPRT_RECORD_P, 45);
	struct tcprt_ring_record n_core = whole(TCPRT_RING_RECORD, TCPRT_RECORD_N, 45);
	struct tcprt_ring_record r_full = whole(TCPRT_RING_RECORD_EXTENDED, TCPRT_RECORD_R, 45);
	struct tcprt_ring_record w_http = whole(TCPRT_RING_RECORD_HTTP, TCPRT_RECORD_W, 45);
	const struct tcprt_record *out = delivered;
	struct batch b = { .used = 0 };

	ring_reader_init(&reader, collect, NULL);
	ring_sample_read(&reader, &conn, sizeof(conn));
	check(delivered_count == 0, "identity entry: no record of its own");

	ring_sample_read(&reader, &r_task, sizeof(r_task));
	check(delivered_count == 1 && out->version == TCPRT_RECORD_VERSION && out->type == 'R' && out->family == 6 &&
		      out->side == 1 && out->mode == 1 && out->local_port == 45 && out->remote_port == 0 &&
		      !memcmp(out->local_addr, id->local_addr, 16) && !memcmp(out->remote_addr, id->remote_addr, 16),
	      "R task: identity from its connection");
	check(out->task_num == 3 && out->reorder == 1 && out->start_ns == 123456789012345ULL &&
		      out->bytes_sent == 4000000000u && out->bytes_received == 77 && out->total_us == 4000000000u &&
		      out->process_us == 200000 && out->upload_us == 99 && out->service_us == 0 && out->receive_us == 0 &&
		      out->min_rtt_us == 0xffffffffu && out->retrans == 2 && out->mss == 1448 && out->srtt_us == 31 &&
		      out->cwnd == 10 && out->bytes_unacked == 0 && out->extensions == 0,
	      "R task: values in process/upload, the rest zero");

	delivered_count = 0;
	r_full.record.extensions = TCPRT_EXT_F;
	r_full.record.first_frame[3].bytes = 9;
	r_full.record.http.status = 200; /* beyond its kind's size: not in the ring */
	w_http.record.http = (struct tcprt_http){ .method = TCPRT_HTTP_GET, .path_len = 2, .status = 404 };
	memcpy(w_http.record.http.path, "/x", 2);
	w_http.record.http.path[TCPRT_HTTP_PATH_MAX - 1] = 'z';
	batch_add(&b, &p_task, sizeof(p_task));
	batch_add(&b, &n_core, TCPRT_RING_RECORD_CORE_BYTES);
	batch_add(&b, &r_task, sizeof(r_task));
	batch_add(&b, &r_full, TCPRT_RING_RECORD_TAIL_BYTES);
	batch_add(&b, &w_http, sizeof(w_http));
	ring_sample_read(&reader, b.data, b.used);
	check(delivered_count == 5 && delivered[0].type == 'P' && delivered[0].service_us == 200000 &&
		      delivered[0].receive_us == 99 && delivered[0].process_us == 0 && delivered[0].upload_us == 0,
	      "batch: P task first, values in service/receive");
	check(delivered[1].type == 'N' && delivered[1].bytes_sent == 5 && delivered[1].extensions == 0 &&
		      delivered[1].first_frame[3].bytes == 0 && delivered[2].type == 'R' && delivered[2].task_num == 3,
	      "batch: whole record without its tail (padded to 8), tail zero; the task after it");
	check(delivered[3].type == 'R' && delivered[3].extensions == TCPRT_EXT_F && delivered[3].first_frame[3].bytes == 9 &&
		      delivered[3].http.status == 0,
	      "batch: whole record with its tail (padded to 8), its http zero");
	check(delivered[4].type == 'W' && delivered[4].http.method == TCPRT_HTTP_GET && delivered[4].http.status == 404 &&
		      !memcmp(delivered[4].http.path, "/x", 2) && delivered[4].http.path[TCPRT_HTTP_PATH_MAX - 1] == 'z',
	      "batch: whole record with its http, last");

	delivered_count = 0;
	n_core = whole(TCPRT_RING_RECORD, TCPRT_RECORD_E, 45);
	ring_sample_read(&reader, &n_core, TCPRT_RING_RECORD_CORE_BYTES);
	ring_sample_read(&reader, &r_task, sizeof(r_task));
	ring_reader_release(&reader, false);
	check(delivered_count == 1 && delivered[0].type == 'R' && delivered[0].local_port == 45,
	      "E held until a flush: a task of its connection read after it still comes out, first");
	ring_reader_flushed(&reader);
	ring_sample_read(&reader, &r_task, sizeof(r_task));
	ring_reader_release(&reader, false);
	check(delivered_count == 3 && delivered[1].type == 'R' && delivered[2].type == 'E' && delivered[2].bytes_sent == 5,
	      "E out once the ring was read past a flush, after everything read before");
	ring_sample_read(&reader, &r_task, sizeof(r_task));
	check(delivered_count == 3 && reader.unnamed == 1, "task after its connection's E went out: lost, counted");

	conn = identity(46);
	ring_sample_read(&reader, &conn, sizeof(conn));
	ring_reader_flushed(&reader);
	n_core = whole(TCPRT_RING_RECORD, TCPRT_RECORD_E, 46);
	ring_sample_read(&reader, &n_core, TCPRT_RING_RECORD_CORE_BYTES);
	ring_reader_release(&reader, false);
	check(delivered_count == 3, "E read after the last flush: held for the next");
	ring_reader_release(&reader, true);
	r_task.conn_id = 46;
	ring_sample_read(&reader, &r_task, sizeof(r_task));
	check(delivered_count == 4 && delivered[3].type == 'E' && reader.unnamed == 2,
	      "stopping: every held E goes out, its identity forgotten");

	delivered_count = 0;
	b.used = 0;
	batch_add(&b, &conn, sizeof(conn));
	batch_add(&b, &r_task, sizeof(r_task));
	b.data[b.used] = 9; /* no such kind */
	b.used += 8;
	batch_add(&b, &r_task, sizeof(r_task));
	ring_sample_read(&reader, b.data, b.used);
	ring_sample_read(&reader, &r_task, sizeof(r_task) - 8);
	check(delivered_count == 1, "unknown kind or entry cut short: the rest of its sample skipped");
	ring_reader_free(&reader);
}

int main(void)
{
	check_table_against_reference();
	check_entries();
	printf("%d failed\n", failures);
	return failures ? 1 : 0;
}
