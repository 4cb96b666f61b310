/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The identities of the tracked connections (struct tcprt_ring_conn), by conn_id: what compact
 * task entries of the ring buffer name. An entry lives from the connection's establishment to
 * its E record.
 */
#ifndef TCPRT_LOADER_CONN_TABLE_H
#define TCPRT_LOADER_CONN_TABLE_H

#include <stddef.h>
#include "tcprt.h"

struct conn_table {
	struct tcprt_ring_conn *slots; /* open addressing; header.kind 0 marks a free slot */
	size_t capacity;               /* a power of two, or 0 before the first put */
	size_t count;
};

/* Adds or replaces the identity under conn->header.conn_id; 0, or -ENOMEM (nothing changed). */
int conn_table_put(struct conn_table *t, const struct tcprt_ring_conn *conn);
const struct tcprt_ring_conn *conn_table_get(const struct conn_table *t, __u32 conn_id);
void conn_table_remove(struct conn_table *t, __u32 conn_id);
void conn_table_free(struct conn_table *t);

#endif
