// SPDX-License-Identifier: GPL-2.0
/*
 * tcprt-format-lines: reads a frame stream (tcprt-collector's default stdout) on stdin and prints
 * each record as the log line that `--output lines` would print, with the clock offset of the
 * latest health frame. It exists so a test can hold the C formatter (loader/log_line.c) to the
 * agent's TypeScript one on any records, without a kernel; it also turns a saved frame stream
 * into a log by hand. Exits 1 on a stream it cannot read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tcprt.h"
#include "loader/log_line.h"
#include "loader/outbuf.h"

static unsigned char *read_all(int fd, size_t *size)
{
	size_t capacity = 1 << 20, used = 0;
	unsigned char *data = malloc(capacity);

	for (ssize_t n; data; used += (size_t)n) {
		if (used == capacity)
			data = realloc(data, capacity *= 2);
		if (!data || (n = read(fd, data + used, capacity - used)) <= 0)
			break;
	}
	*size = used;
	return data;
}

static int fail(const char *message)
{
	fprintf(stderr, "tcprt-format-lines: %s\n", message);
	return 1;
}

int main(void)
{
	static unsigned char storage[1 << 16];
	struct outbuf out = OUTBUF_INIT(STDOUT_FILENO, storage);
	__s64 clock_offset_ns = 0;
	size_t size, at = 8;
	unsigned char *stream = read_all(STDIN_FILENO, &size);

	if (!stream)
		return fail("out of memory");
	if (size < 8 || memcmp(stream, TCPRT_STREAM_MAGIC, 4))
		return fail("stdin is not a tcprt frame stream");
	while (at + sizeof(struct tcprt_frame_header) <= size) {
		struct tcprt_frame_header header;
		const unsigned char *payload = stream + at + sizeof(header);

		memcpy(&header, stream + at, sizeof(header));
		if (header.length > size - at - sizeof(header))
			return fail("truncated frame");
		if (header.type == TCPRT_FRAME_HEALTH && header.length == sizeof(struct tcprt_health)) {
			memcpy(&clock_offset_ns, payload, sizeof(clock_offset_ns));
		} else if (header.type == TCPRT_FRAME_RECORD && header.length == sizeof(struct tcprt_record)) {
			struct tcprt_record record;
			int err = 0;
			unsigned char *line = outbuf_reserve(&out, LOG_LINE_MAX_BYTES, &err);

			memcpy(&record, payload, sizeof(record));
			if (!line)
				return fail("cannot write stdout");
			outbuf_commit(&out, log_line_format((char *)line, &record, clock_offset_ns));
		}
		at += sizeof(header) + header.length;
	}
	free(stream);
	return outbuf_flush(&out) ? fail("cannot write stdout") : 0;
}
