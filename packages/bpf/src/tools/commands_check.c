// SPDX-License-Identifier: GPL-2.0
/*
 * tcprt-commands-check: the loader's stdin command dispatcher (loader/commands.c) and the
 * lines-mode commands it hands to loader/output.c, without a kernel: the rule maps are replaced
 * by stubs that remember what they were given. Prints one line per check and exits 1 if any
 * failed; run by apps/agent/src/collector/commands-c.test.ts.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loader/commands.h"
#include "loader/output.h"

static int failures;

static void check(bool ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAILED", what);
	if (!ok)
		failures++;
}

/* ---- Stubs of loader/rules.c: what the dispatcher asked of the rule maps. */

static struct port_rule applied[8];
static size_t applied_count;
static struct tcprt_first_frame_steps applied_steps;
static int active_calls, last_active = -1;

int rules_apply(struct rule_maps *maps, const struct port_rule *rules, size_t count, char *message,
		size_t message_size)
{
	(void)maps;
	(void)message;
	(void)message_size;
	applied_count = count;
	memcpy(applied, rules, (count < 8 ? count : 8) * sizeof(*rules));
	return 0;
}

int rules_set_first_frame(struct rule_maps *maps, const struct tcprt_first_frame_steps *steps)
{
	(void)maps;
	applied_steps = *steps;
	return 0;
}

int rules_set_active(struct rule_maps *maps, bool active)
{
	(void)maps;
	active_calls++;
	last_active = active;
	return 0;
}

/* ---- Running a command line. */

static struct rule_maps maps;

static struct tcprt_config_ack run(const char *text)
{
	char line[512];
	struct tcprt_config_ack ack;

	snprintf(line, sizeof(line), "%s", text);
	memset(&ack, 0xff, sizeof(ack)); /* the dispatcher must fill every field */
	command_handle(&maps, line, &ack);
	return ack;
}

static bool refused(struct tcprt_config_ack ack, __u32 id, const char *message)
{
	return ack.id == id && ack.error == -EINVAL && strcmp(ack.message, message) == 0;
}

static bool accepted(struct tcprt_config_ack ack, __u32 id)
{
	return ack.id == id && ack.error == 0 && ack.message[0] == '\0';
}

static void check_rules(void)
{
	struct tcprt_config_ack ack = run("rules 1 F100,2000,20000,0 L80:0:0 P56789-56800:2:1");

	check(accepted(ack, 1) && applied_count == 2, "rules: a rule set is applied whole");
	check(applied[0].side == TCPRT_SIDE_LOCAL && !applied[0].is_range && applied[0].first_port == 80 &&
		      applied[0].last_port == 80 && applied[0].decision.mode == TCPRT_MODE_DEFAULT &&
		      !applied[0].decision.first_frame,
	      "rules: a local single port");
	check(applied[1].side == TCPRT_SIDE_PEER && applied[1].is_range && applied[1].first_port == 56789 &&
		      applied[1].last_port == 56800 && applied[1].decision.mode == TCPRT_MODE_HTTPS &&
		      applied[1].decision.first_frame,
	      "rules: a peer range");
	check(applied_steps.bytes[0] == 100 && applied_steps.bytes[1] == 2000 && applied_steps.bytes[2] == 20000 &&
		      applied_steps.bytes[3] == 0,
	      "rules: the first_frame steps");

	ack = run("rules  2\tL443:1:0");
	check(accepted(ack, 2) && applied_count == 1 && applied[0].first_port == 443 && applied_steps.bytes[0] == 0,
	      "rules: spaces and tabs separate; steps are 0 without F");
	ack = run("rules 3");
	check(accepted(ack, 3) && applied_count == 0, "rules: an empty rule set");
	check(refused(run("rules 4 Lx"), 4, "bad rule 'Lx'"), "rules: a bad rule is refused");
	check(refused(run("rules 5 L0:0:0"), 5, "bad rule 'L0:0:0'"), "rules: port 0 is refused");
	check(refused(run("rules 6 L90-80:0:0"), 6, "bad rule 'L90-80:0:0'"), "rules: a backwards range is refused");
	check(refused(run("rules 7 L80:3:0"), 7, "bad rule 'L80:3:0'"), "rules: an unknown mode is refused");
	check(refused(run("rules 8 F1,2"), 8, "bad first_frame steps 'F1,2'"), "rules: three steps missing");
}

static void check_activation(void)
{
	check(accepted(run("deactivate 10"), 10) && active_calls == 1 && last_active == 0, "deactivate");
	check(accepted(run("activate 11 and more"), 11) && active_calls == 2 && last_active == 1,
	      "activate (what follows the id is ignored)");
	check(accepted(run("  activate 12"), 12) && active_calls == 3, "leading separators are skipped");
}

static void check_malformed(void)
{
	const char *expected = "expected '<command> <id> ...'";

	check(refused(run("bogus 13"), 13, "unknown command 'bogus'"), "an unknown command is refused with its id");
	check(refused(run("rules"), 0, expected), "a command without an id");
	check(refused(run("rules x1"), 0, expected), "an id that is not a number");
	check(refused(run("rules 14x L80:0:0"), 14, expected), "an id with trailing characters");
	check(active_calls == 3, "nothing refused reached the rule maps");
}

/* Runs the lines-mode commands with stdout on a temporary file and returns what they printed. */
static void check_lines_mode(int frame_stream_fd)
{
	char printed[256] = { 0 };
	int saved = dup(STDOUT_FILENO);
	FILE *capture = tmpfile();
	bool all_accepted;
	ssize_t n;

	fflush(stdout);
	dup2(fileno(capture), STDOUT_FILENO);
	output_init(OUTPUT_LINES, frame_stream_fd);
	all_accepted = accepted(run("print 20 hello  world"), 20) && accepted(run("print 21"), 21) &&
		       accepted(run("print 22  leading space"), 22) && accepted(run("record-frames 23 1"), 23) &&
		       accepted(run("record-frames 24 0"), 24);
	struct tcprt_config_ack bad_switch = run("record-frames 25 2");
	struct tcprt_config_ack trailing = run("record-frames 26 1 ");

	output_flush();
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	n = pread(fileno(capture), printed, sizeof(printed) - 1, 0);
	fclose(capture);

	check(all_accepted, "lines mode: print and record-frames are accepted");
	check(n > 0 && strcmp(printed, "hello  world\n\n leading space\n") == 0,
	      "lines mode: print writes the rest of the line as it is, and a newline");
	check(refused(bad_switch, 25, "record-frames takes 0 or 1") &&
		      refused(trailing, 26, "record-frames takes 0 or 1"),
	      "lines mode: record-frames takes exactly 0 or 1");
}

int main(void)
{
	int dev_null = open("/dev/null", O_WRONLY);

	output_init(OUTPUT_FRAMES, -1);
	check_rules();
	check_activation();
	check_malformed();
	check(refused(run("print 15 text"), 15, "print needs --output lines") &&
		      refused(run("record-frames 16 1"), 16, "record-frames needs --output lines"),
	      "frames mode: the lines-mode commands are refused");
	check_lines_mode(dev_null);
	printf("%d failed\n", failures);
	return failures ? 1 : 0;
}
