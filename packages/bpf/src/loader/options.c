// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/options.h"

enum { OPT_RINGBUF_BYTES = 256, OPT_HEALTH_INTERVAL_MS, OPT_CGROUP, OPT_OUTPUT, OPT_FRAMES_FD, OPT_VERBOSE };

static const struct option long_options[] = {
	{ "ringbuf-bytes", required_argument, NULL, OPT_RINGBUF_BYTES },
	{ "health-interval-ms", required_argument, NULL, OPT_HEALTH_INTERVAL_MS },
	{ "cgroup", required_argument, NULL, OPT_CGROUP },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "frames-fd", required_argument, NULL, OPT_FRAMES_FD },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ 0 },
};

static int usage(void)
{
	fprintf(stderr, "usage: tcprt-collector [--ringbuf-bytes N] [--health-interval-ms N] [--cgroup PATH] "
			"[--output frames|lines [--frames-fd N]] [--verbose]\n");
	return -1;
}

static int invalid(const char *message)
{
	fprintf(stderr, "tcprt-collector: %s\n", message);
	return -1;
}

/* A whole decimal number in [min, max]. */
static bool parse_number(const char *text, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;

	*out = strtoul(text, &end, 10);
	return isdigit((unsigned char)text[0]) && *end == '\0' && *out >= min && *out <= max;
}

/* Options that only make sense together. */
static int check_combination(const struct loader_options *o)
{
	if (o->output == OUTPUT_FRAMES && o->frames_fd >= 0 && o->frames_fd != 1)
		return invalid("--frames-fd is for --output lines (frames go to stdout)");
	if (o->output == OUTPUT_LINES && (o->frames_fd < 0 || o->frames_fd == 1))
		return invalid("--output lines needs --frames-fd N (not 1) for health frames and config acks, "
			       "e.g. --frames-fd 3 3>/dev/null to drop them");
	return 0;
}

int options_parse(int argc, char **argv, struct loader_options *o)
{
	unsigned long fd;
	int option;

	*o = (struct loader_options){
		.ringbuf_bytes = 4 << 20,
		.health_interval_ms = 1000,
		.output = OUTPUT_FRAMES,
		.frames_fd = -1,
	};
	while ((option = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
		switch (option) {
		case OPT_RINGBUF_BYTES:
			/* The kernel wants a power of two, at least one page. */
			if (!parse_number(optarg, 4096, ~0UL, &o->ringbuf_bytes) ||
			    (o->ringbuf_bytes & (o->ringbuf_bytes - 1)))
				return invalid("--ringbuf-bytes must be a power of two >= 4096");
			break;
		case OPT_HEALTH_INTERVAL_MS:
			if (!parse_number(optarg, 1, ~0UL, &o->health_interval_ms))
				return invalid("--health-interval-ms must be a positive integer");
			break;
		case OPT_CGROUP:
			o->cgroup_path = optarg;
			break;
		case OPT_OUTPUT:
			if (strcmp(optarg, "frames") == 0) {
				o->output = OUTPUT_FRAMES;
			} else if (strcmp(optarg, "lines") == 0) {
				o->output = OUTPUT_LINES;
			} else {
				fprintf(stderr, "tcprt-collector: --output is 'frames' or 'lines', not '%s'\n", optarg);
				return -1;
			}
			break;
		case OPT_FRAMES_FD:
			if (!parse_number(optarg, 0, 65535, &fd))
				return invalid("--frames-fd must be a file descriptor number");
			o->frames_fd = (int)fd;
			break;
		case OPT_VERBOSE:
			o->verbose = true;
			break;
		default: /* getopt_long said what it did not understand */
			return usage();
		}
	}
	if (optind < argc)
		return usage();
	return check_combination(o);
}
