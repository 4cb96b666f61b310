/* SPDX-License-Identifier: GPL-2.0 */
/* Port-rule matching at establishment, in the SPEC order: local single ports, local ranges,
 * peer single ports, peer ranges; the first match decides. */
#ifndef TCPRT_BPF_RULES_H
#define TCPRT_BPF_RULES_H

struct match {
	__u8 side;
	struct tcprt_decision decision;
};

static __always_inline bool match_single(__u32 generation, __u8 side, __u16 port, struct match *out)
{
	struct tcprt_port_key key = { .port = port, .side = side, .generation = generation };
	struct tcprt_decision *d = bpf_map_lookup_elem(&port_rules, &key);

	if (!d)
		return false;
	out->side = side;
	out->decision = *d;
	return true;
}

static __always_inline bool match_range(__u32 generation, __u8 side, __u32 rule_count, __u16 port,
					struct match *out)
{
	__u32 base = (generation * 2 + side) * TCPRT_MAX_RANGE_RULES;

	for (__u32 i = 0; i < TCPRT_MAX_RANGE_RULES; i++) {
		__u32 index = base + i;
		struct tcprt_range_rule *r;

		if (i >= rule_count)
			break;
		r = bpf_map_lookup_elem(&range_rules, &index);
		if (!r)
			break;
		if (port >= r->first_port && port <= r->last_port) {
			out->side = side;
			out->decision = r->decision;
			return true;
		}
	}
	return false;
}

/* False when tracking is deactivated or no rule matches. */
static __always_inline bool match_rules(__u16 local_port, __u16 remote_port, struct match *out)
{
	__u32 slot = TCPRT_CONFIG_SWITCH;
	struct tcprt_config *sw = bpf_map_lookup_elem(&tcprt_config, &slot);
	struct tcprt_config *counts;
	__u32 generation;

	if (!sw || !sw->active)
		return false;
	generation = sw->generation & 1;
	slot = TCPRT_CONFIG_GENERATION_0 + generation;
	counts = bpf_map_lookup_elem(&tcprt_config, &slot);
	if (!counts)
		return false;

	return match_single(generation, TCPRT_SIDE_LOCAL, local_port, out) ||
	       match_range(generation, TCPRT_SIDE_LOCAL, counts->range_count[TCPRT_SIDE_LOCAL], local_port, out) ||
	       match_single(generation, TCPRT_SIDE_PEER, remote_port, out) ||
	       match_range(generation, TCPRT_SIDE_PEER, counts->range_count[TCPRT_SIDE_PEER], remote_port, out);
}

#endif
