/* SPDX-License-Identifier: GPL-2.0 */
/* The framed binary stream on stdout (format in tcprt.h). */
#ifndef TCPRT_LOADER_STREAM_H
#define TCPRT_LOADER_STREAM_H

#include <stdint.h>

/* Each returns 0, or -errno when stdout can no longer be written (the reader went away). */
int stream_write_header(void);
int stream_write_frame(uint16_t type, const void *payload, uint32_t length);
int stream_flush(void);

#endif
