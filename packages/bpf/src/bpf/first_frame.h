/* SPDX-License-Identifier: GPL-2.0 */
/*
 * first_frame (SPEC §2 R.F): for each configured step of global.first_frame_bytes, the first ACK
 * of the task's response that covers at least that many bytes, and the time from T0 to it.
 * ACKs are coarse (one can cover a whole 64 KiB segment), so the bytes may exceed the step and
 * several steps may be reached by the same ACK.
 */
#ifndef TCPRT_BPF_FIRST_FRAME_H
#define TCPRT_BPF_FIRST_FRAME_H

struct first_frame_progress {
	__u64 bytes[TCPRT_FIRST_FRAME_STEPS]; /* 0: step not reached (yet) */
	__u32 us[TCPRT_FIRST_FRAME_STEPS];
};

static __always_inline void first_frame_on_ack(struct first_frame_progress *p,
					       const struct tcprt_first_frame_steps *steps, __u64 acked_bytes,
					       __u32 elapsed_us)
{
	for (int i = 0; i < TCPRT_FIRST_FRAME_STEPS; i++) {
		__u32 step = steps->bytes[i];

		if (step && !p->bytes[i] && acked_bytes >= step) {
			p->bytes[i] = acked_bytes;
			p->us[i] = elapsed_us;
		}
	}
}

/* Copies the progress into a record, with the steps it was measured against. */
static __always_inline void first_frame_to_record(const struct first_frame_progress *p,
						  const struct tcprt_first_frame_steps *steps, struct tcprt_record *r)
{
	for (int i = 0; i < TCPRT_FIRST_FRAME_STEPS; i++) {
		r->first_frame[i].step_bytes = steps->bytes[i];
		r->first_frame[i].bytes = p->bytes[i];
		r->first_frame[i].us = p->us[i];
	}
}

#endif
