/* SPDX-License-Identifier: GPL-2.0 */
/* Every map of the kernel side. Included once, by tcprt.bpf.c. */
#ifndef TCPRT_BPF_MAPS_H
#define TCPRT_BPF_MAPS_H

#include "conn.h"

/* Per-connection task state, freed by the kernel together with the socket. */
struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct conn);
} conns SEC(".maps");

/* Finished records only; its size is set by the loader before load. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} records SEC(".maps");

/*
 * Waking the reader for every record would put the loader, the agent and whatever reads the
 * agent on the CPU right when the monitored server handles its next request. Records are
 * submitted without a wakeup until this many bytes wait (set by the loader: a quarter of the
 * ring); the loader also drains the ring on its own every 100 ms.
 */
const volatile __u64 wakeup_bytes = 1 << 20;

/*
 * The reader's position when a record last forced a wakeup. Until the reader has taken
 * something (its position moves), later records do not force another: each forced wakeup is an
 * interrupt on this CPU, and a reader that has been woken but not yet scheduled would otherwise
 * get one per record. Written from every CPU without a lock: a lost update costs one extra
 * wakeup at most.
 */
__u64 woken_at_consumer_pos = ~0ULL;

/*
 * Ring entries gathered before they go into the ring buffer together (ring.h): one batch per
 * CPU, each connection writing to the one of the CPU it was established on. 2 KiB in all.
 */
#define BATCH_BYTES 2032

struct ring_batch {
	__u64 taken;   /* 1 from batch_claim to batch_release */
	__u32 used;    /* bytes of data taken, entries padded to TCPRT_RING_ALIGN */
	__u32 entries; /* records in data */
	__u8 data[BATCH_BYTES];
};

/* Sized to the number of possible CPUs by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ring_batch);
} batches SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TCPRT_MAX_PORT_RULES * TCPRT_GENERATIONS);
	__type(key, struct tcprt_port_key);
	__type(value, struct tcprt_decision);
} port_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TCPRT_RANGE_SLOTS);
	__type(key, __u32);
	__type(value, struct tcprt_range_rule);
} range_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TCPRT_CONFIG_SLOTS);
	__type(key, __u32);
	__type(value, struct tcprt_config);
} tcprt_config SEC(".maps");

/* global.first_frame_bytes, written by the loader with each rule set. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tcprt_first_frame_steps);
} first_frame_steps SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TCPRT_COUNTER_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

static __always_inline void count_n(enum tcprt_counter which, __u32 n)
{
	__u32 key = which;
	__u64 *value = bpf_map_lookup_elem(&counters, &key);

	if (value)
		*value += n; /* per-CPU slot: no other writer */
}

static __always_inline void count(enum tcprt_counter which)
{
	count_n(which, 1);
}

static __always_inline const struct tcprt_first_frame_steps *first_frame_steps_get(void)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(&first_frame_steps, &key);
}

#endif
