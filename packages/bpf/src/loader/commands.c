// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/commands.h"
#include "loader/output.h"

#define SEPARATORS " \t"

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

static int run_rules(struct rule_maps *maps, char *args, struct tcprt_config_ack *ack)
{
	struct tcprt_first_frame_steps steps = { 0 };
	size_t count = 0;
	char *save = NULL;
	int err;

	for (char *token = strtok_r(args, SEPARATORS, &save); token; token = strtok_r(NULL, SEPARATORS, &save)) {
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

static int set_active(struct rule_maps *maps, bool active, struct tcprt_config_ack *ack)
{
	int err = rules_set_active(maps, active);

	if (err)
		snprintf(ack->message, sizeof(ack->message), "%s failed: %s", active ? "activate" : "deactivate",
			 strerror(-err));
	return err;
}

static int run_activate(struct rule_maps *maps, char *args, struct tcprt_config_ack *ack)
{
	(void)args;
	return set_active(maps, true, ack);
}

static int run_deactivate(struct rule_maps *maps, char *args, struct tcprt_config_ack *ack)
{
	(void)args;
	return set_active(maps, false, ack);
}

static int run_record_frames(struct rule_maps *maps, char *args, struct tcprt_config_ack *ack)
{
	(void)maps;
	if (strcmp(args, "0") != 0 && strcmp(args, "1") != 0) {
		snprintf(ack->message, sizeof(ack->message), "record-frames takes 0 or 1");
		return -EINVAL;
	}
	output_send_record_frames(args[0] == '1');
	return 0;
}

static int run_print(struct rule_maps *maps, char *args, struct tcprt_config_ack *ack)
{
	int err = output_print(args);

	(void)maps;
	if (err)
		snprintf(ack->message, sizeof(ack->message), "cannot print: %s", strerror(-err));
	return err;
}

/* Every command (commands.h). args: the rest of the line after the id and one separator. */
static const struct command {
	const char *verb;
	bool lines_only; /* needs --output lines */
	int (*run)(struct rule_maps *maps, char *args, struct tcprt_config_ack *ack);
} commands[] = {
	{ "rules", false, run_rules },
	{ "activate", false, run_activate },
	{ "deactivate", false, run_deactivate },
	{ "record-frames", true, run_record_frames },
	{ "print", true, run_print },
};

static const struct command *find_command(const char *verb, size_t length)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strlen(commands[i].verb) == length && strncmp(commands[i].verb, verb, length) == 0)
			return &commands[i];
	return NULL;
}

void command_handle(struct rule_maps *maps, char *line, struct tcprt_config_ack *ack)
{
	char *verb = line + strspn(line, SEPARATORS);
	size_t verb_length = strcspn(verb, SEPARATORS);
	char *id = verb + verb_length + strspn(verb + verb_length, SEPARATORS);
	const struct command *command;
	char *end;

	memset(ack, 0, sizeof(*ack));
	ack->id = strtoul(id, &end, 10);
	if (!verb_length || !isdigit((unsigned char)id[0]) || (*end != '\0' && !strchr(SEPARATORS, *end))) {
		ack->error = -EINVAL;
		snprintf(ack->message, sizeof(ack->message), "expected '<command> <id> ...'");
		return;
	}
	command = find_command(verb, verb_length);
	if (!command) {
		ack->error = -EINVAL;
		snprintf(ack->message, sizeof(ack->message), "unknown command '%.*s'",
			 (int)(verb_length < 60 ? verb_length : 60), verb);
	} else if (command->lines_only && !output_is_lines()) {
		ack->error = -EINVAL;
		snprintf(ack->message, sizeof(ack->message), "%s needs --output lines", command->verb);
	} else {
		ack->error = command->run(maps, *end ? end + 1 : end, ack);
	}
}
