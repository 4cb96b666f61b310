/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where records go. Two modes (--output):
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
 * Lines mode adds two stdin commands (commands.h has the others), each answered by an ack frame:
 *
 *   record-frames <id> <0|1>  stop/start sending record frames on the frame stream too
 *   print <id> <text>         write <text> and a newline to stdout between two record lines, so
 *                             another writer's lines (the stats lines) never split a record line
 */
#ifndef TCPRT_LOADER_OUTPUT_H
#define TCPRT_LOADER_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "tcprt.h"

/*
 * Takes --output and --frames-fd: returns 1 when arg is not one of them, 0 when taken, -1 (with
 * a message on stderr) when its value is wrong.
 */
int output_parse_option(const char *arg, const char *value);
/* After option parsing: checks the combination and points the frame stream at its fd. */
int output_init(void);
const char *output_usage(void);

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

/* Handles the lines-mode commands above: false when line is not one of them (ack untouched). */
bool output_command(const char *line, struct tcprt_config_ack *ack);

#endif
