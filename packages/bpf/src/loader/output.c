// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loader/log_line.h"
#include "loader/outbuf.h"
#include "loader/output.h"
#include "loader/stream.h"

enum output_mode { OUTPUT_FRAMES, OUTPUT_LINES };

static enum output_mode mode = OUTPUT_FRAMES;
static int frames_fd = -1;
static bool record_frames; /* lines mode: also send record frames */
static __s64 clock_offset_ns;
static bool stdout_failed;
static bool unknown_record_reported;

/* Bigger than the frame buffer: a line costs half a frame, and fewer writes mean fewer reader wake-ups. */
static unsigned char line_storage[1 << 18];
static struct outbuf lines = OUTBUF_INIT(STDOUT_FILENO, line_storage);

int output_parse_option(const char *arg, const char *value)
{
	char *end = NULL;

	if (strcmp(arg, "--output") == 0) {
		if (strcmp(value, "frames") == 0) {
			mode = OUTPUT_FRAMES;
		} else if (strcmp(value, "lines") == 0) {
			mode = OUTPUT_LINES;
		} else {
			fprintf(stderr, "tcprt-collector: --output is 'frames' or 'lines', not '%s'\n", value);
			return -1;
		}
		return 0;
	}
	if (strcmp(arg, "--frames-fd") == 0) {
		long fd = strtol(value, &end, 10);

		if (*end || end == value || fd < 0 || fd > 65535) {
			fprintf(stderr, "tcprt-collector: --frames-fd must be a file descriptor number\n");
			return -1;
		}
		frames_fd = (int)fd;
		return 0;
	}
	return 1;
}

const char *output_usage(void)
{
	return "[--output frames|lines [--frames-fd N]]";
}

/*
 * A pipe of 1 MiB instead of 64 KiB: the reader (the agent) pauses now and then (garbage
 * collection, a database checkpoint), and while the pipe is full the kernel ring buffer has to
 * hold everything and loses records when it fills. Not a pipe, or over the system's limit: the
 * pipe stays as it is.
 */
#define OUTPUT_PIPE_BYTES (1 << 20)

int output_init(void)
{
	fcntl(STDOUT_FILENO, F_SETPIPE_SZ, OUTPUT_PIPE_BYTES);
	if (mode == OUTPUT_FRAMES) {
		if (frames_fd >= 0 && frames_fd != STDOUT_FILENO) {
			fprintf(stderr, "tcprt-collector: --frames-fd is for --output lines (frames go to stdout)\n");
			return -1;
		}
		return 0;
	}
	if (frames_fd < 0 || frames_fd == STDOUT_FILENO) {
		fprintf(stderr, "tcprt-collector: --output lines needs --frames-fd N (not 1) for health frames and "
				"config acks, e.g. --frames-fd 3 3>/dev/null to drop them\n");
		return -1;
	}
	stream_set_fd(frames_fd);
	return 0;
}

void output_set_clock_offset(__s64 realtime_minus_monotonic_ns)
{
	clock_offset_ns = realtime_minus_monotonic_ns;
}

bool output_stdout_closed(void)
{
	return stdout_failed;
}

/* Remembers whether a failed write was to stdout (the lines, or the frames in frames mode). */
static int note(int err, bool on_stdout)
{
	if (err && err != -EMSGSIZE && on_stdout)
		stdout_failed = true;
	return err;
}

int output_frame(__u16 type, const void *payload, __u32 length)
{
	return note(stream_write_frame(type, payload, length), mode == OUTPUT_FRAMES);
}

static int write_line(const struct tcprt_record *r)
{
	int err = 0;
	unsigned char *at = outbuf_reserve(&lines, LOG_LINE_MAX_BYTES, &err);
	size_t length;

	if (!at)
		return note(err, true);
	length = log_line_format((char *)at, r, clock_offset_ns);
	if (length) {
		outbuf_commit(&lines, length);
	} else if (!unknown_record_reported) {
		/* The kernel object and the loader are built together: this means a broken build. */
		fprintf(stderr, "tcprt-collector: record of version %u, type %u, family %u, mode %u cannot be "
				"printed (further ones are skipped silently)\n",
			r->version, r->type, r->family, r->mode);
		unknown_record_reported = true;
	}
	return 0;
}

int output_record(const struct tcprt_record *record)
{
	int err;

	if (mode == OUTPUT_FRAMES || record_frames) {
		err = output_frame(TCPRT_FRAME_RECORD, record, sizeof(*record));
		if (err || mode == OUTPUT_FRAMES)
			return err;
	}
	return write_line(record);
}

int output_flush(void)
{
	int err = mode == OUTPUT_LINES ? note(outbuf_flush(&lines), true) : 0;

	return err ? err : note(stream_flush(), mode == OUTPUT_FRAMES);
}

/* "<verb> " at the start of line: what follows it, else NULL. */
static const char *after_verb(const char *line, const char *verb)
{
	size_t n = strlen(verb);

	return strncmp(line, verb, n) == 0 && line[n] == ' ' ? line + n + 1 : NULL;
}

static int print_text(const char *text, struct tcprt_config_ack *ack)
{
	size_t length = strlen(text);
	int err = 0;
	unsigned char *at = outbuf_reserve(&lines, length + 1, &err);

	if (!at) {
		snprintf(ack->message, sizeof(ack->message), "cannot print: %s", strerror(-err));
		return note(err, true);
	}
	memcpy(at, text, length);
	at[length] = '\n';
	outbuf_commit(&lines, length + 1);
	return 0;
}

bool output_command(const char *line, struct tcprt_config_ack *ack)
{
	const char *print = after_verb(line, "print");
	const char *switch_frames = print ? NULL : after_verb(line, "record-frames");
	const char *args = print ? print : switch_frames;
	char *end = NULL;

	if (!args)
		return false;
	memset(ack, 0, sizeof(*ack));
	ack->id = strtoul(args, &end, 10);
	if (end == args || (*end != ' ' && *end != '\0')) {
		ack->error = -EINVAL;
		snprintf(ack->message, sizeof(ack->message), "expected '<command> <id> ...'");
		return true;
	}
	args = *end ? end + 1 : end;
	if (mode != OUTPUT_LINES) {
		ack->error = -EINVAL;
		snprintf(ack->message, sizeof(ack->message), "%s needs --output lines",
			 print ? "print" : "record-frames");
	} else if (print) {
		ack->error = print_text(args, ack);
	} else if (strcmp(args, "0") == 0 || strcmp(args, "1") == 0) {
		record_frames = args[0] == '1';
	} else {
		ack->error = -EINVAL;
		snprintf(ack->message, sizeof(ack->message), "record-frames takes 0 or 1");
	}
	return true;
}
