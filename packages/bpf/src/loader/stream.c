// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/types.h>

#include "tcprt.h"
#include "loader/stream.h"

/* Frames are batched and written once per poll round: one write() per batch, not per record. */
static unsigned char buffer[1 << 16];
static size_t used;

int stream_flush(void)
{
	size_t done = 0;

	while (done < used) {
		ssize_t n = write(STDOUT_FILENO, buffer + done, used - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		done += (size_t)n;
	}
	used = 0;
	return 0;
}

static int append(const void *bytes, size_t length)
{
	if (length > sizeof(buffer))
		return -EMSGSIZE;
	if (used + length > sizeof(buffer)) {
		int err = stream_flush();

		if (err)
			return err;
	}
	memcpy(buffer + used, bytes, length);
	used += length;
	return 0;
}

int stream_write_header(void)
{
	struct {
		char magic[4];
		__u16 stream_version;
		__u16 record_version;
	} header = { .stream_version = TCPRT_STREAM_VERSION, .record_version = TCPRT_RECORD_VERSION };

	memcpy(header.magic, TCPRT_STREAM_MAGIC, sizeof(header.magic));
	return append(&header, sizeof(header));
}

int stream_write_frame(uint16_t type, const void *payload, uint32_t length)
{
	struct tcprt_frame_header header = { .type = type, .length = length };
	int err;

	if (sizeof(header) + length > sizeof(buffer) - used) {
		err = stream_flush();
		if (err)
			return err;
	}
	err = append(&header, sizeof(header));
	return err ? err : append(payload, length);
}
