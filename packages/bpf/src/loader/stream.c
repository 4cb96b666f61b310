// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <unistd.h>
#include <linux/types.h>

#include "tcprt.h"
#include "loader/outbuf.h"
#include "loader/stream.h"

static unsigned char storage[1 << 16];
static struct outbuf frames = OUTBUF_INIT(STDOUT_FILENO, storage);

void stream_set_fd(int fd)
{
	frames.fd = fd;
}

int stream_flush(void)
{
	return outbuf_flush(&frames);
}

int stream_write_header(void)
{
	struct tcprt_stream_header header = { .stream_version = TCPRT_STREAM_VERSION,
					      .record_version = TCPRT_RECORD_VERSION };

	memcpy(header.magic, TCPRT_STREAM_MAGIC, sizeof(header.magic));
	return outbuf_append(&frames, &header, sizeof(header));
}

/* A frame is never split across two writes, so a reader sees whole frames per chunk more often. */
int stream_write_frame(uint16_t type, const void *payload, uint32_t length)
{
	struct tcprt_frame_header header = { .type = type, .length = length };
	int err = 0;
	unsigned char *at = outbuf_reserve(&frames, sizeof(header) + length, &err);

	if (!at)
		return err;
	memcpy(at, &header, sizeof(header));
	memcpy(at + sizeof(header), payload, length);
	outbuf_commit(&frames, sizeof(header) + length);
	return 0;
}
