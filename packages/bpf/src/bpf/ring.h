/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Getting entries into the ring buffer. Entries gather in batches (maps.h: batches), which go
 * into the ring with one call when the next entry would not fit, and when the loader asks
 * (tcprt_flush, every drain round). Reserving is the ring buffer's dearest part (a lock all CPUs
 * share, and three helper calls with the wakeup query and the submit); a batch pays it once for
 * a few dozen records.
 *
 * There is a batch per CPU, and a connection always writes to the one of the CPU it was
 * established on: its later events mostly run there too (the softirq of its receive queue), so
 * the batch stays in that CPU's cache, and its records stay in order when some of its events run
 * elsewhere (a close in process context on the application's CPU).
 *
 * A batch has one user at a time. Programs interrupt each other (a softirq's tcp_probe during a
 * sockops callback in process context), a process-context program can be preempted, and another
 * CPU may want the same batch: whoever finds it taken writes its entry straight into the ring.
 * Such an entry can overtake its connection's entries still in the batch; the loader holds each
 * E record until every batch has been flushed once more (loader/ring_entry.c), so nothing comes
 * after the end of its connection. Identities never go through a batch: they must be in the
 * ring before any entry that names them.
 *
 * Claiming a batch takes BPF compare-and-swap and exchange (kernel 5.12). The build with
 * TCPRT_NO_ATOMICS (tcprt_direct.bpf.o, which the loader picks when the kernel refuses them,
 * loader/programs.c) has no batches: every entry goes straight into the ring, in the order the
 * programs wrote them, so nothing can overtake a connection's E record there either.
 */
#ifndef TCPRT_BPF_RING_H
#define TCPRT_BPF_RING_H

/* Whether the data just written wakes the reader (maps.h: wakeup_bytes, woken_at_consumer_pos). */
static __always_inline __u64 wakeup_flag(void)
{
	__u64 consumer_pos;

	if (bpf_ringbuf_query(&records, BPF_RB_AVAIL_DATA) < wakeup_bytes)
		return BPF_RB_NO_WAKEUP;
	consumer_pos = bpf_ringbuf_query(&records, BPF_RB_CONS_POS);
	if (consumer_pos == woken_at_consumer_pos)
		return BPF_RB_NO_WAKEUP;
	woken_at_consumer_pos = consumer_pos;
	return BPF_RB_FORCE_WAKEUP;
}

#ifndef TCPRT_NO_ATOMICS
/*
 * Batch `index` if nobody is using it. A compare-and-swap, not a plain flag: an interruption, a
 * preemption or another CPU can come between any two instructions. Both it and the exchange that
 * releases the batch are fully ordered, so the entries one CPU wrote are there for the next CPU
 * that claims the batch.
 */
static __always_inline struct ring_batch *batch_claim(__u32 index)
{
	struct ring_batch *b = bpf_map_lookup_elem(&batches, &index);

	if (b && __sync_val_compare_and_swap(&b->taken, 0, 1) == 0)
		return b;
	return NULL;
}

static __always_inline void batch_release(struct ring_batch *b)
{
	__sync_lock_test_and_set(&b->taken, 0);
}

/* The batch's entries into the ring buffer, counted as written or, with no room, lost. */
static __always_inline void batch_flush(struct ring_batch *b)
{
	__u32 used, entries = b->entries;
	__u64 flags;

	if (b->used == 0)
		return;
	/*
	 * The size is read and bounded right before the call, after the wakeup query: a bound
	 * checked before a helper call is lost when the value is spilled around it on some kernels
	 * (6.1's verifier: "R3 unbounded memory access").
	 */
	flags = wakeup_flag();
	used = b->used;
	if (used == 0 || used > BATCH_BYTES)
		return;
	if (bpf_ringbuf_output(&records, b->data, used, flags))
		count_n(TCPRT_LOST_RINGBUF_FULL, entries);
	else
		count_n(TCPRT_RECORDS_WRITTEN, entries);
	b->used = 0;
	b->entries = 0;
}

/*
 * Room for one entry of `bytes` in a claimed batch, flushing it first when full. NULL never
 * happens, but the verifier must see it: clang may spill `used` before the first check and
 * reload it after, and a bound checked on a register does not reach its spilled copy on some
 * kernels (Debian 12's 6.1: "unbounded memory access"). The second check is on the register
 * the entry's address is made from (barrier_var keeps clang from dropping it).
 */
static __always_inline void *batch_entry(struct ring_batch *b, __u32 bytes)
{
	__u32 used = b->used;
	void *entry;

	if (used > BATCH_BYTES - bytes) {
		batch_flush(b);
		used = 0;
	}
	barrier_var(used);
	if (used > BATCH_BYTES - bytes)
		return NULL;
	entry = b->data + used;
	b->used = used + ((bytes + TCPRT_RING_ALIGN - 1) & ~(TCPRT_RING_ALIGN - 1));
	b->entries += 1;
	return entry;
}

/*
 * Room for one of the connection's entries: in its batch (*batch set), else in the ring buffer
 * (*batch NULL); NULL when the ring buffer is full. Every byte must be written: neither is zeroed.
 */
static __always_inline void *entry_reserve(const struct conn *c, struct ring_batch **batch, __u32 bytes)
{
	void *entry;

	*batch = batch_claim(c->batch);
	if (*batch) {
		entry = batch_entry(*batch, bytes);
		if (entry)
			return entry;
		batch_release(*batch);
		*batch = NULL;
	}
	return bpf_ringbuf_reserve(&records, bytes, 0);
}
#else
static __always_inline void *entry_reserve(const struct conn *c, struct ring_batch **batch, __u32 bytes)
{
	(void)c;
	*batch = NULL;
	return bpf_ringbuf_reserve(&records, bytes, 0);
}

/* entry_commit's batch is always NULL here. */
static __always_inline void batch_release(struct ring_batch *b)
{
	(void)b;
}
#endif

/* The entry from entry_reserve is complete. */
static __always_inline void entry_commit(struct ring_batch *batch, void *entry)
{
	if (batch) {
		batch_release(batch); /* counted when the batch is flushed */
		return;
	}
	bpf_ringbuf_submit(entry, wakeup_flag());
	count(TCPRT_RECORDS_WRITTEN);
}

#endif
