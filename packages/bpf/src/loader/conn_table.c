// SPDX-License-Identifier: GPL-2.0
/* Linear probing, grown at half full; removal shifts the rest of the run back (no tombstones). */
#include <errno.h>
#include <stdlib.h>
#include "loader/conn_table.h"

#define INITIAL_CAPACITY 1024

/* Cookies are handed out in sequence: a multiplicative hash spreads neighbours apart. */
static size_t home_slot(const struct conn_table *t, __u32 conn_id)
{
	return (size_t)(conn_id * 2654435761u) & (t->capacity - 1);
}

static size_t find_slot(const struct conn_table *t, __u32 conn_id)
{
	size_t i = home_slot(t, conn_id);

	while (t->slots[i].header.kind && t->slots[i].header.conn_id != conn_id)
		i = (i + 1) & (t->capacity - 1);
	return i;
}

static int grow(struct conn_table *t)
{
	size_t capacity = t->capacity ? t->capacity * 2 : INITIAL_CAPACITY;
	struct conn_table bigger = { .slots = calloc(capacity, sizeof(*t->slots)), .capacity = capacity };
	size_t i;

	if (!bigger.slots)
		return -ENOMEM;
	for (i = 0; i < t->capacity; i++) {
		if (t->slots[i].header.kind) {
			bigger.slots[find_slot(&bigger, t->slots[i].header.conn_id)] = t->slots[i];
			bigger.count++;
		}
	}
	free(t->slots);
	*t = bigger;
	return 0;
}

int conn_table_put(struct conn_table *t, const struct tcprt_ring_conn *conn)
{
	size_t i;

	if ((t->count + 1) * 2 > t->capacity && grow(t))
		return -ENOMEM;
	i = find_slot(t, conn->header.conn_id);
	if (!t->slots[i].header.kind)
		t->count++;
	t->slots[i] = *conn;
	return 0;
}

const struct tcprt_ring_conn *conn_table_get(const struct conn_table *t, __u32 conn_id)
{
	size_t i;

	if (!t->capacity)
		return NULL;
	i = find_slot(t, conn_id);
	return t->slots[i].header.kind ? &t->slots[i] : NULL;
}

void conn_table_remove(struct conn_table *t, __u32 conn_id)
{
	size_t mask = t->capacity - 1, hole, i;

	if (!t->capacity)
		return;
	hole = find_slot(t, conn_id);
	if (!t->slots[hole].header.kind)
		return;
	t->count--;
	/* Move back every later entry of the run whose home slot does not lie between hole and it. */
	for (i = (hole + 1) & mask; t->slots[i].header.kind; i = (i + 1) & mask) {
		size_t home = home_slot(t, t->slots[i].header.conn_id);

		if (((i - home) & mask) >= ((i - hole) & mask)) {
			t->slots[hole] = t->slots[i];
			hole = i;
		}
	}
	t->slots[hole].header.kind = 0;
}

void conn_table_free(struct conn_table *t)
{
	free(t->slots);
	*t = (struct conn_table){ 0 };
}
