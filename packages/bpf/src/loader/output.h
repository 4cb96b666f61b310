/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where records go. Two modes (--output, options.h):
 *
 *   frames (default)  stdout carries the framed binary stream (tcprt.h): records, health frames,
 *                     config acks. The agent reads it.
 *   lines             stdout carries each record as its SPEC §2 log line (log_line.h), batched
 *                     like the frames. The frame stream goes to the fd given by --frames-fd
 *                     (required): health frames and config acks always, record frames only while
 *                     switched on with `record-frames <id> 1` (for a reader that computes the
 *                     SPEC §3 stats). `tcprt collect` hands its own stdout to the loader this way,
 *                     so no record passes through Node.
 *
 * In lines mode, two stdin commands (commands.h) switch the record frames on and off and print a
 * line of another writer's (the stats lines) between two record lines.
 */
#ifndef TCPRT_LOADER_OUTPUT_H
#define TCPRT_LOADER_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "tcprt.h"

enum output_mode { OUTPUT_FRAMES, OUTPUT_LINES };

/* Before any output: in lines mode, the frame stream goes to frame_stream_fd. */
void output_init(enum output_mode mode, int frame_stream_fd);
bool output_is_lines(void);

/* The realtime − monotonic offset for the wall-clock header of the lines that follow. */
void output_set_clock_offset(__s64 realtime_minus_monotonic_ns);

/* Each returns 0, or -errno once an output can no longer be written (its reader went away). */
int output_record(const struct tcprt_record *record);
/* Health frames and config acks: the frame stream in either mode. */
int output_frame(__u16 type, const void *payload, __u32 length);
int output_flush(void);

/* True when the failed output was stdout: the loader then exits with OUTPUT_EXIT_STDOUT_CLOSED. */
bool output_stdout_closed(void);
#define OUTPUT_EXIT_STDOUT_CLOSED 3

/* Lines mode: also send record frames on the frame stream (off at start). */
void output_send_record_frames(bool on);
/* Lines mode: text and a newline on stdout, between two record lines. 0 or -errno. */
int output_print(const char *text);

#endif
