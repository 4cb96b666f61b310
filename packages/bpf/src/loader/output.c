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

static enum output_mode mode = OUTPUT_FRAMES;
static bool record_frames; /* lines mode: also send record frames */
static __s64 clock_offset_ns;
static bool stdout_failed;
static bool unknown_record_reported;

/* Bigger than the frame buffer: a line costs half a frame, and fewer writes mean fewer reader wake-ups. */
static unsigned char line_storage[1 << 18];
static struct outbuf lines = OUTBUF_INIT(STDOUT_FILENO, line_storage);

/*
 * A pipe of 1 MiB instead of 64 KiB: the reader (the agent) pauses now and then (garbage
 * collection, a database checkpoint), and while the pipe is full the kernel ring buffer has to
 * hold everything and loses records when it fills. Not a pipe, or over the system's limit: the
 * pipe stays as it is.
 */
#define OUTPUT_PIPE_BYTES (1 << 20)

void output_init(enum output_mode output, int frame_stream_fd)
{
	mode = output;
	fcntl(STDOUT_FILENO, F_SETPIPE_SZ, OUTPUT_PIPE_BYTES);
	if (mode == OUTPUT_LINES)
		stream_set_fd(frame_stream_fd);
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

bool output_is_lines(void)
{
	return mode == OUTPUT_LINES;
}

void output_send_record_frames(bool on)
{
	record_frames = on;
}

int output_print(const char *text)
{
	size_t length = strlen(text);
	int err = 0;
	unsigned char *at = outbuf_reserve(&lines, length + 1, &err);

	if (!at)
		return note(err, true);
	memcpy(at, text, length);
	at[length] = '\n';
	outbuf_commit(&lines, length + 1);
	return 0;
}
