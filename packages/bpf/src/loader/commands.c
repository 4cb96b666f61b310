// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/commands.h"

static struct port_rule parsed[TCPRT_MAX_PORT_RULES + 2 * TCPRT_MAX_RANGE_RULES];

static int parse_number(const char **text, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(*text, &end, 10);
	if (end == *text || errno || *out > max)
		return -1;
	*text = end;
	return 0;
}

/* <L|P><port>[-<port>]:<mode>:<first_frame> */
static int parse_rule(const char *token, struct port_rule *rule)
{
	unsigned long first, last, mode, first_frame;
	const char *p = token + 1;

	if (token[0] != 'L' && token[0] != 'P')
		return -1;
	if (parse_number(&p, 65535, &first) || first == 0)
		return -1;
	last = first;
	rule->is_range = *p == '-';
	if (rule->is_range) {
		p++;
		if (parse_number(&p, 65535, &last) || last < first)
			return -1;
	}
	if (*p++ != ':' || parse_number(&p, TCPRT_MODE_HTTPS, &mode) || *p++ != ':' ||
	    parse_number(&p, 1, &first_frame) || *p != '\0')
		return -1;
	rule->side = token[0] == 'P' ? TCPRT_SIDE_PEER : TCPRT_SIDE_LOCAL;
	rule->first_port = first;
	rule->last_port = last;
	rule->decision = (struct tcprt_decision){ .mode = mode, .first_frame = first_frame };
	return 0;
}

/* F<b1>,<b2>,<b3>,<b4> */
static int parse_first_frame(const char *token, struct tcprt_first_frame_steps *steps)
{
	const char *p = token + 1;
	unsigned long bytes;

	for (int i = 0; i < TCPRT_FIRST_FRAME_STEPS; i++) {
		if ((i > 0 && *p++ != ',') || parse_number(&p, UINT32_MAX, &bytes))
			return -1;
		steps->bytes[i] = bytes;
	}
	return *p == '\0' ? 0 : -1;
}

static int handle_rules(struct rule_maps *maps, char **save, struct tcprt_config_ack *ack)
{
	struct tcprt_first_frame_steps steps = { 0 };
	size_t count = 0;
	char *token;
	int err;

	while ((token = strtok_r(NULL, " \t", save))) {
		if (token[0] == 'F') {
			if (parse_first_frame(token, &steps)) {
				snprintf(ack->message, sizeof(ack->message), "bad first_frame steps '%.60s'", token);
				return -EINVAL;
			}
			continue;
		}
		if (count == sizeof(parsed) / sizeof(parsed[0])) {
			snprintf(ack->message, sizeof(ack->message), "too many rules (at most %zu)", count);
			return -E2BIG;
		}
		if (parse_rule(token, &parsed[count])) {
			snprintf(ack->message, sizeof(ack->message), "bad rule '%.60s'", token);
			return -EINVAL;
		}
		count++;
	}
	err = rules_apply(maps, parsed, count, ack->message, sizeof(ack->message));
	if (!err && (err = rules_set_first_frame(maps, &steps)))
		snprintf(ack->message, sizeof(ack->message), "updating the first_frame steps failed: %s",
			 strerror(-err));
	return err;
}

void command_handle(struct rule_maps *maps, char *line, struct tcprt_config_ack *ack)
{
	char *save = NULL;
	char *verb = strtok_r(line, " \t", &save);
	char *id = strtok_r(NULL, " \t", &save);
	char *end = NULL;

	memset(ack, 0, sizeof(*ack));
	if (!verb || !id || (ack->id = strtoul(id, &end, 10), *end != '\0')) {
		ack->error = -EINVAL;
		snprintf(ack->message, sizeof(ack->message), "expected '<command> <id> ...'");
		return;
	}
	if (strcmp(verb, "rules") == 0) {
		ack->error = handle_rules(maps, &save, ack);
	} else if (strcmp(verb, "activate") == 0 || strcmp(verb, "deactivate") == 0) {
		ack->error = rules_set_active(maps, verb[0] == 'a');
		if (ack->error)
			snprintf(ack->message, sizeof(ack->message), "%s failed: %s", verb, strerror(-ack->error));
	} else {
		ack->error = -EINVAL;
		snprintf(ack->message, sizeof(ack->message), "unknown command '%.60s'", verb);
	}
}
