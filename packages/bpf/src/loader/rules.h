/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Port rules in the kernel maps. A new rule set is written into the inactive generation and
 * then switched on with one write, so a connection being established never sees half a rule
 * set, and nothing is reloaded. Connections keep the decision they got at establishment.
 */
#ifndef TCPRT_LOADER_RULES_H
#define TCPRT_LOADER_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "tcprt.h"

struct port_rule {
	__u8 side; /* enum tcprt_side */
	bool is_range;
	__u16 first_port;
	__u16 last_port;
	struct tcprt_decision decision;
};

struct rule_maps {
	int ports_fd;
	int ranges_fd;
	int config_fd;
	int first_frame_fd;
	__u32 active;
	__u32 generation;
	__u32 port_rules;  /* in the active generation */
	__u32 range_rules; /* in the active generation */
	/* Called before a rule set goes live with the modes its rules use (bit 1 << enum tcprt_mode):
	 * http and https connections need payload hooks that default mode does not (main.c attaches
	 * them on demand). Returns 0 or a negative errno with a reason in message. */
	int (*prepare_modes)(void *ctx, __u32 modes, char *message, size_t message_size);
	void *prepare_modes_ctx;
};

/* Each returns 0, or a negative errno with a reason in message. */
int rules_init(struct rule_maps *maps, int ports_fd, int ranges_fd, int config_fd, int first_frame_fd);
/* global.first_frame_bytes; takes effect for tasks' next ACKs, on every tracked connection. */
int rules_set_first_frame(struct rule_maps *maps, const struct tcprt_first_frame_steps *steps);
int rules_apply(struct rule_maps *maps, const struct port_rule *rules, size_t count, char *message,
		size_t message_size);
int rules_set_active(struct rule_maps *maps, bool active);

#endif
