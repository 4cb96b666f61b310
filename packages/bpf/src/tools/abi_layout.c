// SPDX-License-Identifier: GPL-2.0
/*
 * Prints the frame stream's layout as tcprt.h defines it, as JSON: size and every field's offset
 * and size of the structs the loader writes to the agent, and the enum values both sides use.
 * apps/agent/src/collector/abi-layout.test.ts compares it with the agent's decoder table
 * (abi.ts), so the two cannot drift apart unnoticed.
 */
#include <stddef.h>
#include <stdio.h>
#include "tcprt.h"

static const char *separator;

static void begin_struct(const char *name, size_t bytes)
{
	printf("%s\n    \"%s\": { \"size\": %zu, \"fields\": {", separator, name, bytes);
	separator = "";
}

static void field(const char *name, size_t offset, size_t bytes)
{
	printf("%s\n      \"%s\": { \"offset\": %zu, \"size\": %zu }", separator, name, offset, bytes);
	separator = ",";
}

static void end_struct(void)
{
	printf("\n    } }");
	separator = ",";
}

static void constant(const char *name, long long value)
{
	printf("%s\n    \"%s\": %lld", separator, name, value);
	separator = ",";
}

#define STRUCT(type) begin_struct(#type, sizeof(struct type))
#define FIELD(type, member) field(#member, offsetof(struct type, member), sizeof(((struct type *)0)->member))
#define CONSTANT(name) constant(#name, (long long)(name))

int main(void)
{
	printf("{\n  \"structs\": {");
	separator = "";

	STRUCT(tcprt_stream_header);
	FIELD(tcprt_stream_header, magic);
	FIELD(tcprt_stream_header, stream_version);
	FIELD(tcprt_stream_header, record_version);
	end_struct();

	STRUCT(tcprt_frame_header);
	FIELD(tcprt_frame_header, type);
	FIELD(tcprt_frame_header, reserved);
	FIELD(tcprt_frame_header, length);
	end_struct();

	STRUCT(tcprt_record);
	FIELD(tcprt_record, version);
	FIELD(tcprt_record, type);
	FIELD(tcprt_record, family);
	FIELD(tcprt_record, side);
	FIELD(tcprt_record, mode);
	FIELD(tcprt_record, reorder);
	FIELD(tcprt_record, reserved);
	FIELD(tcprt_record, local_port);
	FIELD(tcprt_record, remote_port);
	FIELD(tcprt_record, task_num);
	FIELD(tcprt_record, local_addr);
	FIELD(tcprt_record, remote_addr);
	FIELD(tcprt_record, start_ns);
	FIELD(tcprt_record, bytes_sent);
	FIELD(tcprt_record, bytes_received);
	FIELD(tcprt_record, bytes_unacked);
	FIELD(tcprt_record, total_us);
	FIELD(tcprt_record, process_us);
	FIELD(tcprt_record, upload_us);
	FIELD(tcprt_record, service_us);
	FIELD(tcprt_record, receive_us);
	FIELD(tcprt_record, min_rtt_us);
	FIELD(tcprt_record, retrans);
	FIELD(tcprt_record, mss);
	FIELD(tcprt_record, srtt_us);
	FIELD(tcprt_record, cwnd);
	FIELD(tcprt_record, extensions);
	FIELD(tcprt_record, handshake_timed);
	FIELD(tcprt_record, reserved2);
	FIELD(tcprt_record, handshake_us);
	FIELD(tcprt_record, reserved3);
	FIELD(tcprt_record, first_frame);
	FIELD(tcprt_record, close);
	FIELD(tcprt_record, download);
	FIELD(tcprt_record, http);
	end_struct();

	STRUCT(tcprt_close);
	FIELD(tcprt_close, first);
	FIELD(tcprt_close, reset);
	FIELD(tcprt_close, phase);
	FIELD(tcprt_close, protocol_end);
	FIELD(tcprt_close, phase_us);
	end_struct();

	STRUCT(tcprt_download);
	FIELD(tcprt_download, busy_us);
	FIELD(tcprt_download, rwnd_limited_us);
	FIELD(tcprt_download, sndbuf_limited_us);
	FIELD(tcprt_download, measured);
	FIELD(tcprt_download, reserved);
	end_struct();

	STRUCT(tcprt_http);
	FIELD(tcprt_http, method);
	FIELD(tcprt_http, path_len);
	FIELD(tcprt_http, path_truncated);
	FIELD(tcprt_http, reserved);
	FIELD(tcprt_http, status);
	FIELD(tcprt_http, reserved2);
	FIELD(tcprt_http, path);
	end_struct();

	STRUCT(tcprt_first_frame);
	FIELD(tcprt_first_frame, step_bytes);
	FIELD(tcprt_first_frame, us);
	FIELD(tcprt_first_frame, bytes);
	end_struct();

	STRUCT(tcprt_health);
	FIELD(tcprt_health, realtime_minus_monotonic_ns);
	FIELD(tcprt_health, lost_ringbuf_full);
	FIELD(tcprt_health, lost_storage_alloc);
	FIELD(tcprt_health, conns_tracked);
	FIELD(tcprt_health, records_written);
	FIELD(tcprt_health, attached_hooks);
	FIELD(tcprt_health, active);
	FIELD(tcprt_health, generation);
	FIELD(tcprt_health, port_rules);
	FIELD(tcprt_health, range_rules);
	FIELD(tcprt_health, ring_path);
	end_struct();

	STRUCT(tcprt_config_ack);
	FIELD(tcprt_config_ack, id);
	FIELD(tcprt_config_ack, error);
	FIELD(tcprt_config_ack, message);
	end_struct();

	printf("\n  },\n  \"constants\": {");
	separator = "";
	CONSTANT(TCPRT_STREAM_VERSION);
	CONSTANT(TCPRT_RECORD_VERSION);
	CONSTANT(TCPRT_FIRST_FRAME_STEPS);
	CONSTANT(TCPRT_FRAME_RECORD);
	CONSTANT(TCPRT_FRAME_HEALTH);
	CONSTANT(TCPRT_FRAME_CONFIG_ACK);
	CONSTANT(TCPRT_MODE_DEFAULT);
	CONSTANT(TCPRT_MODE_HTTP);
	CONSTANT(TCPRT_MODE_HTTPS);
	CONSTANT(TCPRT_SIDE_LOCAL);
	CONSTANT(TCPRT_SIDE_PEER);
	CONSTANT(TCPRT_RECORD_R);
	CONSTANT(TCPRT_RECORD_W);
	CONSTANT(TCPRT_RECORD_N);
	CONSTANT(TCPRT_RECORD_E);
	CONSTANT(TCPRT_RECORD_P);
	CONSTANT(TCPRT_RING_BATCHED);
	CONSTANT(TCPRT_RING_DIRECT);
	CONSTANT(TCPRT_HOOK_SOCKOPS);
	CONSTANT(TCPRT_HOOK_EGRESS);
	CONSTANT(TCPRT_HOOK_TCP_PROBE);
	CONSTANT(TCPRT_HOOK_INGRESS);
	CONSTANT(TCPRT_HOOK_RECEIVE_RESET);
	CONSTANT(TCPRT_CLOSE_FIN_IN);
	CONSTANT(TCPRT_CLOSE_FIN_OUT);
	CONSTANT(TCPRT_CLOSE_RST_IN);
	CONSTANT(TCPRT_CLOSE_RST_OUT);
	CONSTANT(TCPRT_CLOSE_TIMEOUT);
	CONSTANT(TCPRT_PHASE_IDLE);
	CONSTANT(TCPRT_PHASE_RECEIVING);
	CONSTANT(TCPRT_PHASE_PROCESSING);
	CONSTANT(TCPRT_PHASE_SENDING);
	CONSTANT(TCPRT_PHASE_LAST_ACKS);
	CONSTANT(TCPRT_END_TLS_CLOSE_NOTIFY_IN);
	CONSTANT(TCPRT_END_TLS_CLOSE_NOTIFY_OUT);
	CONSTANT(TCPRT_END_MYSQL_QUIT);
	CONSTANT(TCPRT_EXT_C);
	CONSTANT(TCPRT_EXT_Z);
	CONSTANT(TCPRT_EXT_A);
	CONSTANT(TCPRT_EXT_H);
	CONSTANT(TCPRT_EXT_F);
	CONSTANT(TCPRT_HTTP_PATH_MAX);
	CONSTANT(TCPRT_HTTP_GET);
	CONSTANT(TCPRT_HTTP_HEAD);
	CONSTANT(TCPRT_HTTP_POST);
	CONSTANT(TCPRT_HTTP_PUT);
	CONSTANT(TCPRT_HTTP_DELETE);
	CONSTANT(TCPRT_HTTP_PATCH);
	CONSTANT(TCPRT_HTTP_OPTIONS);
	CONSTANT(TCPRT_HTTP_CONNECT);
	CONSTANT(TCPRT_HTTP_TRACE);
	CONSTANT(TCPRT_HTTP_OTHER);
	printf("\n  },\n  \"streamMagic\": \"%s\"\n}\n", TCPRT_STREAM_MAGIC);
	return 0;
}
