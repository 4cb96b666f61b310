// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "loader/outbuf.h"

int outbuf_flush(struct outbuf *b)
{
	size_t done = 0;

	while (done < b->used) {
		ssize_t n = write(b->fd, b->data + done, b->used - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			/*
			 * The fd may be shared with a parent that made it non-blocking (a Node process whose
			 * stdout we inherited): wait for room as a blocking write would.
			 */
			if (errno == EAGAIN) {
				struct pollfd out = { .fd = b->fd, .events = POLLOUT };

				if (poll(&out, 1, -1) < 0 && errno != EINTR)
					return -errno;
				continue;
			}
			return -errno;
		}
		done += (size_t)n;
	}
	b->used = 0;
	return 0;
}

unsigned char *outbuf_reserve(struct outbuf *b, size_t length, int *err)
{
	if (length > b->size) {
		*err = -EMSGSIZE;
		return NULL;
	}
	if (length > b->size - b->used) {
		*err = outbuf_flush(b);
		if (*err)
			return NULL;
	}
	return b->data + b->used;
}

int outbuf_append(struct outbuf *b, const void *bytes, size_t length)
{
	int err = 0;
	unsigned char *at = outbuf_reserve(b, length, &err);

	if (!at)
		return err;
	memcpy(at, bytes, length);
	outbuf_commit(b, length);
	return 0;
}
