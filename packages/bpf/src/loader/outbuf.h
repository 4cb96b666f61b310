/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A write buffer in front of a file descriptor. Output is batched and written once per poll
 * round, or when the buffer fills: a write() (and a reader wake-up) per record would cost more
 * than producing the record.
 */
#ifndef TCPRT_LOADER_OUTBUF_H
#define TCPRT_LOADER_OUTBUF_H

#include <stddef.h>

struct outbuf {
	int fd;
	size_t used;
	size_t size;
	unsigned char *data;
};

#define OUTBUF_INIT(fd_, storage_) { .fd = (fd_), .size = sizeof(storage_), .data = (storage_) }

/* Each returns 0, or -errno when fd can no longer be written (the reader went away). */
int outbuf_flush(struct outbuf *b);
int outbuf_append(struct outbuf *b, const void *bytes, size_t length);

/*
 * Room for `length` bytes at the end of the buffer (flushing first when needed), to be filled in
 * place and then counted with outbuf_commit. NULL with *err = -errno when the flush failed,
 * -EMSGSIZE when length exceeds the buffer.
 */
unsigned char *outbuf_reserve(struct outbuf *b, size_t length, int *err);

static inline void outbuf_commit(struct outbuf *b, size_t length)
{
	b->used += length;
}

#endif
