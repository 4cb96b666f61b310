// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>

#include "loader/rules.h"

static int write_switch(struct rule_maps *maps, __u32 active, __u32 generation)
{
	struct tcprt_config value = { .active = active, .generation = generation };
	__u32 slot = TCPRT_CONFIG_SWITCH;

	if (bpf_map_update_elem(maps->config_fd, &slot, &value, BPF_ANY))
		return -errno;
	maps->active = active;
	maps->generation = generation;
	return 0;
}

/* Removes every single-port rule of one generation. */
static int clear_port_rules(int fd, __u8 generation)
{
	struct tcprt_port_key keys[TCPRT_MAX_PORT_RULES * TCPRT_GENERATIONS];
	struct tcprt_port_key key, next;
	size_t n = 0;
	void *prev = NULL;

	while (n < sizeof(keys) / sizeof(keys[0]) && bpf_map_get_next_key(fd, prev, &next) == 0) {
		if (next.generation == generation)
			keys[n++] = next;
		key = next;
		prev = &key;
	}
	for (size_t i = 0; i < n; i++) {
		if (bpf_map_delete_elem(fd, &keys[i]) && errno != ENOENT)
			return -errno;
	}
	return 0;
}

int rules_init(struct rule_maps *maps, int ports_fd, int ranges_fd, int config_fd, int first_frame_fd)
{
	memset(maps, 0, sizeof(*maps));
	maps->ports_fd = ports_fd;
	maps->ranges_fd = ranges_fd;
	maps->config_fd = config_fd;
	maps->first_frame_fd = first_frame_fd;
	return write_switch(maps, 1, 0);
}

static __u32 modes_used(const struct port_rule *rules, size_t count)
{
	__u32 modes = 0;

	for (size_t i = 0; i < count; i++)
		modes |= 1u << rules[i].decision.mode;
	return modes;
}

int rules_apply(struct rule_maps *maps, const struct port_rule *rules, size_t count, char *message,
		size_t message_size)
{
	__u8 next = maps->generation ^ 1;
	struct tcprt_config counts = { 0 };
	__u32 singles = 0;
	__u32 slot;
	int err;

	for (size_t i = 0; i < count; i++) {
		const struct port_rule *r = &rules[i];

		if (r->is_range && counts.range_count[r->side] >= TCPRT_MAX_RANGE_RULES) {
			snprintf(message, message_size, "more than %d %s port ranges", TCPRT_MAX_RANGE_RULES,
				 r->side == TCPRT_SIDE_PEER ? "peer" : "local");
			return -E2BIG;
		}
		if (!r->is_range && ++singles > TCPRT_MAX_PORT_RULES) {
			snprintf(message, message_size, "more than %d single-port rules", TCPRT_MAX_PORT_RULES);
			return -E2BIG;
		}
		if (r->is_range)
			counts.range_count[r->side]++;
	}

	if (maps->prepare_modes) {
		err = maps->prepare_modes(maps->prepare_modes_ctx, modes_used(rules, count), message, message_size);
		if (err)
			return err;
	}
	/* The inactive generation has not been matched against since the previous switch. */
	err = clear_port_rules(maps->ports_fd, next);
	if (err)
		goto failed;
	memset(&counts, 0, sizeof(counts));
	singles = 0;
	for (size_t i = 0; i < count; i++) {
		const struct port_rule *r = &rules[i];

		if (r->is_range) {
			__u32 index = (next * 2 + r->side) * TCPRT_MAX_RANGE_RULES + counts.range_count[r->side]++;
			struct tcprt_range_rule value = {
				.first_port = r->first_port, .last_port = r->last_port, .decision = r->decision
			};

			if (bpf_map_update_elem(maps->ranges_fd, &index, &value, BPF_ANY))
				goto failed_errno;
		} else {
			struct tcprt_port_key key = { .port = r->first_port, .side = r->side, .generation = next };

			/* The first rule for a port decides (SPEC matching order): later duplicates are ignored. */
			if (bpf_map_update_elem(maps->ports_fd, &key, &r->decision, BPF_NOEXIST) == 0)
				singles++;
			else if (errno != EEXIST)
				goto failed_errno;
		}
	}
	slot = TCPRT_CONFIG_GENERATION_0 + next;
	if (bpf_map_update_elem(maps->config_fd, &slot, &counts, BPF_ANY))
		goto failed_errno;
	err = write_switch(maps, maps->active, next);
	if (err)
		goto failed;
	maps->port_rules = singles;
	maps->range_rules = counts.range_count[0] + counts.range_count[1];
	return 0;

failed_errno:
	err = -errno;
failed:
	snprintf(message, message_size, "updating the rule maps failed: %s", strerror(-err));
	return err;
}

int rules_set_active(struct rule_maps *maps, bool active)
{
	return write_switch(maps, active ? 1 : 0, maps->generation);
}

int rules_set_first_frame(struct rule_maps *maps, const struct tcprt_first_frame_steps *steps)
{
	__u32 key = 0;

	return bpf_map_update_elem(maps->first_frame_fd, &key, steps, BPF_ANY) ? -errno : 0;
}
