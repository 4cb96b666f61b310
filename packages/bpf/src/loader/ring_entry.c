// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "loader/ring_entry.h"

void ring_reader_init(struct ring_reader *reader, record_sink sink, void *sink_ctx)
{
	*reader = (struct ring_reader){ .sink = sink, .sink_ctx = sink_ctx };
}

static void expand_task(const struct tcprt_ring_task *t, const struct tcprt_ring_conn *conn,
			struct tcprt_record *r)
{
	memset(r, 0, sizeof(*r));
	r->version = TCPRT_RECORD_VERSION;
	r->type = t->type;
	tcprt_record_identify(r, &conn->identity);
	r->reorder = t->reorder;
	r->task_num = t->task_num;
	r->start_ns = t->start_ns;
	r->bytes_sent = t->bytes_sent;
	r->bytes_received = t->bytes_received;
	r->total_us = t->total_us;
	r->min_rtt_us = t->min_rtt_us;
	r->retrans = t->retrans;
	r->mss = t->mss;
	r->srtt_us = t->srtt_us;
	r->cwnd = t->cwnd;
	if (t->type == TCPRT_RECORD_R) {
		r->process_us = t->server_us;
		r->upload_us = t->transfer_us;
	} else {
		r->service_us = t->server_us;
		r->receive_us = t->transfer_us;
	}
}

static void read_task(struct ring_reader *reader, const struct tcprt_ring_task *t)
{
	const struct tcprt_ring_conn *conn = conn_table_get(&reader->conns, t->conn_id);
	struct tcprt_record record;

	if (!conn) {
		/* Cannot happen unless an identity was lost (out of memory): say so at 1, 10, 100, … */
		unsigned long n = ++reader->unnamed, power = 1;

		while (power * 10 <= n)
			power *= 10;
		if (n == power)
			fprintf(stderr, "tcprt-collector: %lu task record(s) of unknown connections lost\n", n);
		return;
	}
	expand_task(t, conn, &record);
	reader->sink(reader->sink_ctx, &record);
}

/* Without room to hold it, an E goes out at once: in order unless its connection moved CPUs. */
static void hold_end(struct ring_reader *reader, const struct tcprt_record *record, __u32 conn_id)
{
	if (reader->held_count == reader->held_capacity) {
		size_t capacity = reader->held_capacity ? 2 * reader->held_capacity : 64;
		struct held_end *held = realloc(reader->held, capacity * sizeof(*held));

		if (!held) {
			reader->sink(reader->sink_ctx, record);
			conn_table_remove(&reader->conns, conn_id);
			return;
		}
		reader->held = held;
		reader->held_capacity = capacity;
	}
	reader->held[reader->held_count++] =
		(struct held_end){ .record = *record, .conn_id = conn_id, .flushes = reader->flushes };
}

static void read_whole(struct ring_reader *reader, const struct tcprt_ring_record *e, size_t size)
{
	size_t record_bytes = size - sizeof(e->header);
	struct tcprt_record record;

	memcpy(&record, &e->record, record_bytes);
	memset((char *)&record + record_bytes, 0, sizeof(record) - record_bytes);
	if (record.type == TCPRT_RECORD_E)
		hold_end(reader, &record, e->header.conn_id);
	else
		reader->sink(reader->sink_ctx, &record);
}

static void read_entry(struct ring_reader *reader, const void *entry, size_t size)
{
	switch (((const struct tcprt_ring_header *)entry)->kind) {
	case TCPRT_RING_CONN:
		if (conn_table_put(&reader->conns, entry))
			fprintf(stderr, "tcprt-collector: out of memory for connection identities\n");
		break;
	case TCPRT_RING_TASK:
		read_task(reader, entry);
		break;
	default: /* TCPRT_RING_RECORD, TCPRT_RING_RECORD_EXTENDED, TCPRT_RING_RECORD_HTTP */
		read_whole(reader, entry, size);
		break;
	}
}

void ring_sample_read(struct ring_reader *reader, const void *data, size_t size)
{
	size_t offset = 0;

	/* Entries start 8-aligned in a sample, which is itself 8-aligned: their fields can be read in place. */
	while (offset < size) {
		const __u8 *entry = (const __u8 *)data + offset;
		size_t bytes = tcprt_ring_entry_bytes(*entry);

		if (bytes == 0 || bytes > size - offset) {
			fprintf(stderr,
				"tcprt-collector: ring buffer entry of kind %u with %zu bytes left not understood: "
				"rest of the sample skipped\n",
				*entry, size - offset);
			return;
		}
		read_entry(reader, entry, bytes);
		offset += (bytes + TCPRT_RING_ALIGN - 1) & ~(size_t)(TCPRT_RING_ALIGN - 1);
	}
}

void ring_reader_flushed(struct ring_reader *reader)
{
	reader->flushes++;
}

void ring_reader_release(struct ring_reader *reader, bool all)
{
	size_t kept = 0;

	for (size_t i = 0; i < reader->held_count; i++) {
		struct held_end *h = &reader->held[i];

		if (!all && h->flushes == reader->flushes) {
			reader->held[kept++] = *h;
			continue;
		}
		reader->sink(reader->sink_ctx, &h->record);
		conn_table_remove(&reader->conns, h->conn_id);
	}
	reader->held_count = kept;
}

void ring_reader_free(struct ring_reader *reader)
{
	conn_table_free(&reader->conns);
	free(reader->held);
	reader->held = NULL;
	reader->held_count = reader->held_capacity = 0;
}
