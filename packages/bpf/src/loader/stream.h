/* SPDX-License-Identifier: GPL-2.0 */
/* The framed binary stream (format in tcprt.h): stdout, or another fd in lines mode (output.h). */
#ifndef TCPRT_LOADER_STREAM_H
#define TCPRT_LOADER_STREAM_H

#include <stdint.h>

/* Where frames go from now on (STDOUT_FILENO until called). */
void stream_set_fd(int fd);

/* Each returns 0, or -errno when the stream can no longer be written (the reader went away). */
int stream_write_header(void);
int stream_write_frame(uint16_t type, const void *payload, uint32_t length);
int stream_flush(void);

#endif
