/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a download's time went, from the kernel's own TCP accounting: the socket's chronographs
 * (tcp_sock.chrono_stat[], what tcp_info reports as tcpi_busy_time, tcpi_rwnd_limited and
 * tcpi_sndbuf_limited). The kernel runs at most one of them at a time — busy (data in flight
 * or queued), stalled by the receiver's window, or stalled by a full send buffer — and adds its
 * time, in jiffies, when it switches. They are read where a task starts and where its record is
 * written, never per segment: the record gets the differences.
 */
#ifndef TCPRT_BPF_CHRONO_H
#define TCPRT_BPF_CHRONO_H

/* The kernel's tick rate, from its config (libbpf reads /proc/config.gz); 0 when unknown. */
extern unsigned int CONFIG_HZ __kconfig __weak;

/* Indexes of tcp_sock.chrono_stat[] (enum tcp_chrono − 1). */
enum chrono_kind {
	CHRONO_BUSY = 0,
	CHRONO_RWND_LIMITED = 1,
	CHRONO_SNDBUF_LIMITED = 2,
	CHRONO_KINDS = 3,
};

struct chrono_snapshot {
	__u32 jiffies[CHRONO_KINDS];
};

/* The chronographs now, the running one included (as tcp_get_info counts them). */
static __always_inline void chrono_read(const struct tcp_sock *tp, struct chrono_snapshot *s)
{
	__u32 running = BPF_CORE_READ_BITFIELD(tp, chrono_type);
	__u32 running_jiffies = 0;

	if (running)
		running_jiffies = (__u32)bpf_jiffies64() - tp->chrono_start;
	s->jiffies[CHRONO_BUSY] = tp->chrono_stat[CHRONO_BUSY] + (running == CHRONO_BUSY + 1 ? running_jiffies : 0);
	s->jiffies[CHRONO_RWND_LIMITED] =
		tp->chrono_stat[CHRONO_RWND_LIMITED] + (running == CHRONO_RWND_LIMITED + 1 ? running_jiffies : 0);
	s->jiffies[CHRONO_SNDBUF_LIMITED] =
		tp->chrono_stat[CHRONO_SNDBUF_LIMITED] + (running == CHRONO_SNDBUF_LIMITED + 1 ? running_jiffies : 0);
}

/* One jiffy in µs, the chronographs' resolution; 0 when the kernel's HZ is unknown. */
static __always_inline __u32 chrono_jiffy_us(void)
{
	return CONFIG_HZ ? 1000000 / CONFIG_HZ : 0;
}

/* The chronographs' time since `start`, in µs: busy_us covers all three (tcpi_busy_time). */
static __always_inline void chrono_since(const struct tcp_sock *tp, const struct chrono_snapshot *start,
					 struct tcprt_download *d)
{
	struct chrono_snapshot now;
	__u32 us_per_jiffy = chrono_jiffy_us(), rwnd, sndbuf;

	if (!us_per_jiffy)
		return;
	chrono_read(tp, &now);
	rwnd = now.jiffies[CHRONO_RWND_LIMITED] - start->jiffies[CHRONO_RWND_LIMITED];
	sndbuf = now.jiffies[CHRONO_SNDBUF_LIMITED] - start->jiffies[CHRONO_SNDBUF_LIMITED];
	d->busy_us = (now.jiffies[CHRONO_BUSY] - start->jiffies[CHRONO_BUSY] + rwnd + sndbuf) * us_per_jiffy;
	d->rwnd_limited_us = rwnd * us_per_jiffy;
	d->sndbuf_limited_us = sndbuf * us_per_jiffy;
	d->measured = 1;
}

#endif
