/* SPDX-License-Identifier: GPL-2.0 */
/* Ring buffer samples (tcprt.h: kernel → loader) back into whole records, in order. */
#ifndef TCPRT_LOADER_RING_ENTRY_H
#define TCPRT_LOADER_RING_ENTRY_H

#include <stdbool.h>
#include <stddef.h>
#include "tcprt.h"
#include "loader/conn_table.h"

typedef void (*record_sink)(void *ctx, const struct tcprt_record *record);

/* An E record waiting for the connection's other records (ring_reader_release). */
struct held_end {
	struct tcprt_record record;
	__u32 conn_id;
	unsigned long flushes; /* reader's flushes when it was read */
};

struct ring_reader {
	record_sink sink;
	void *sink_ctx;
	struct conn_table conns;
	unsigned long unnamed; /* task entries whose connection was unknown (their records are lost) */
	unsigned long flushes; /* times every CPU's batch was flushed (ring_reader_flushed) */
	struct held_end *held;
	size_t held_count, held_capacity;
};

void ring_reader_init(struct ring_reader *reader, record_sink sink, void *sink_ctx);

/*
 * One ring sample: an entry, or a CPU's batch of them (bpf/ring.h). Records go to the sink as
 * they complete, but for E records: a connection's other records may still wait in another
 * CPU's batch, so its E, and its identity, are held until ring_reader_release. A malformed
 * entry is reported on stderr and the rest of its sample skipped.
 */
void ring_sample_read(struct ring_reader *reader, const void *data, size_t size);

/* Every CPU's batch has just been written into the ring; the loader reads the ring next. */
void ring_reader_flushed(struct ring_reader *reader);

/*
 * The ring has been read since the last flush: E records read before that flush go to the sink
 * (in the order they came), and their connections' identities are forgotten. With `all`, every
 * held E goes: the loader is stopping.
 */
void ring_reader_release(struct ring_reader *reader, bool all);

void ring_reader_free(struct ring_reader *reader);

#endif
