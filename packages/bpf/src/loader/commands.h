/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stdin command protocol, one command per line, each answered by a config-ack frame that
 * carries its <id>:
 *
 *   rules <id> [F<steps>] [<rule> ...]   replace the whole rule set (and first_frame steps)
 *   activate <id>             track new connections again
 *   deactivate <id>           stop tracking new connections; tracked ones finish normally
 *   record-frames <id> <0|1>  --output lines only: also send record frames on the frame stream
 *                             (off at start), for a reader that computes the SPEC §3 stats
 *   print <id> <text>         --output lines only: write <text> (the rest of the line, as it is)
 *                             and a newline to stdout between two record lines, so another
 *                             writer's lines (the stats lines) never split a record line
 *
 * <rule> is <side><port>:<mode>:<first_frame> for a single port or
 * <side><first>-<last>:<mode>:<first_frame> for an inclusive range, where side is L (local port)
 * or P (peer port), mode is 0 default, 1 http, 2 https, and first_frame is 0 or 1.
 * Rules are given in the order they appear in tcprt.yaml. F<steps> is global.first_frame_bytes
 * as four comma-separated byte counts (0 = unused step), e.g. F100,2000,20000,0; without it the
 * steps are all 0.
 */
#ifndef TCPRT_LOADER_COMMANDS_H
#define TCPRT_LOADER_COMMANDS_H

#include "tcprt.h"
#include "loader/rules.h"

/* Runs one command line (without its newline; modified in place) and fills its ack. */
void command_handle(struct rule_maps *maps, char *line, struct tcprt_config_ack *ack);

#endif
