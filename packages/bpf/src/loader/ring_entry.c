// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "loader/ring_entry.h"

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

static bool read_task(struct ring_reader *reader, const struct tcprt_ring_task *t, struct tcprt_record *record)
{
	const struct tcprt_ring_conn *conn = conn_table_get(&reader->conns, t->conn_id);

	if (!conn) {
		/* Cannot happen unless an identity was lost (out of memory): say so at 1, 10, 100, … */
		unsigned long n = ++reader->unnamed, power = 1;

		while (power * 10 <= n)
			power *= 10;
		if (n == power)
			fprintf(stderr, "tcprt-collector: %lu task record(s) of unknown connections lost\n", n);
		return false;
	}
	expand_task(t, conn, record);
	return true;
}

static bool read_whole(struct ring_reader *reader, const struct tcprt_ring_record *e, size_t size,
		       struct tcprt_record *record)
{
	size_t record_bytes = size - sizeof(e->header);

	memcpy(record, &e->record, record_bytes);
	memset((char *)record + record_bytes, 0, sizeof(*record) - record_bytes);
	if (record->type == TCPRT_RECORD_E)
		conn_table_remove(&reader->conns, e->header.conn_id);
	return true;
}

bool ring_entry_read(struct ring_reader *reader, const void *data, size_t size, struct tcprt_record *record)
{
	const struct tcprt_ring_header *header = data;

	if (size >= sizeof(*header)) {
		switch (header->kind) {
		case TCPRT_RING_CONN:
			if (size != sizeof(struct tcprt_ring_conn))
				break;
			if (conn_table_put(&reader->conns, data))
				fprintf(stderr, "tcprt-collector: out of memory for connection identities\n");
			return false;
		case TCPRT_RING_TASK:
			if (size != sizeof(struct tcprt_ring_task))
				break;
			return read_task(reader, data, record);
		case TCPRT_RING_RECORD:
			if (size != TCPRT_RING_RECORD_CORE_BYTES && size != sizeof(struct tcprt_ring_record))
				break;
			return read_whole(reader, data, size, record);
		}
	}
	fprintf(stderr, "tcprt-collector: ring buffer entry of kind %u and %zu bytes not understood: skipped\n",
		size ? *(const __u8 *)data : 0, size);
	return false;
}

void ring_reader_free(struct ring_reader *reader)
{
	conn_table_free(&reader->conns);
}
