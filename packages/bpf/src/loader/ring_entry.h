/* SPDX-License-Identifier: GPL-2.0 */
/* Ring buffer entries (tcprt.h: kernel → loader) back into whole records. */
#ifndef TCPRT_LOADER_RING_ENTRY_H
#define TCPRT_LOADER_RING_ENTRY_H

#include <stdbool.h>
#include <stddef.h>
#include "tcprt.h"
#include "loader/conn_table.h"

struct ring_reader {
	struct conn_table conns;
	unsigned long unnamed; /* task entries whose connection was unknown (their records are lost) */
};

/*
 * Takes one entry; true when it completes a record, written whole to *record. A connection's
 * identity is kept until its E record. Malformed entries are reported on stderr and skipped.
 */
bool ring_entry_read(struct ring_reader *reader, const void *data, size_t size, struct tcprt_record *record);
void ring_reader_free(struct ring_reader *reader);

#endif
