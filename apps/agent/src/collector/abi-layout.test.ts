import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { HTTP_PATH_MAX_BYTES, R_EXTENSION_ORDER } from '@tcprt/schema';
import { expect, it } from 'vitest';
import {
  CLOSE_EVENT_CODES,
  CLOSE_LAYOUT,
  CLOSE_PHASE_CODES,
  CONFIG_ACK_LAYOUT,
  DOWNLOAD_LAYOUT,
  FIRST_FRAME_LAYOUT,
  FIRST_FRAME_STEPS,
  FRAME_HEADER_LAYOUT,
  FrameType,
  HEALTH_LAYOUT,
  HOOK_NAMES,
  HTTP_LAYOUT,
  HTTP_METHOD_CODES,
  PORT_MODE_CODES,
  PROTOCOL_END_BITS,
  RECORD_LAYOUT,
  RING_PATHS,
  RECORD_VERSION,
  SIDE_CODES,
  STREAM_HEADER_LAYOUT,
  STREAM_MAGIC,
  STREAM_VERSION,
} from './abi';

/*
 * The decoder's layout table (abi.ts) against the C header it mirrors: tcprt-abi-layout, built
 * by the bpf Makefile from packages/bpf/src/tools/abi_layout.c against tcprt.h, prints every
 * field's offset and size and the enum values; they must equal the TypeScript side exactly. The
 * binary is rebuilt here first (make is incremental), so an edited tcprt.h is what is compared.
 */
const BPF = path.resolve(import.meta.dirname, '../../../../packages/bpf');
const ABI_LAYOUT = path.join(BPF, 'build/tcprt-abi-layout');

interface CLayout {
  structs: Record<string, unknown>;
  constants: Record<string, number>;
  streamMagic: string;
}

function cLayout(): CLayout {
  const make = spawnSync('make', ['-s', '-C', BPF, 'build/tcprt-abi-layout'], {
    encoding: 'utf8',
  });
  if (make.status !== 0) throw new Error(`building tcprt-abi-layout failed:\n${make.stderr}`);
  const run = spawnSync(ABI_LAYOUT, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`tcprt-abi-layout failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as CLayout;
}

/** The C names of every enum value the agent relies on, with the agent's value. */
function typescriptConstants(): Record<string, number> {
  const bit = (i: number) => 1 << i;
  return {
    TCPRT_STREAM_VERSION: STREAM_VERSION,
    TCPRT_RECORD_VERSION: RECORD_VERSION,
    TCPRT_FIRST_FRAME_STEPS: FIRST_FRAME_STEPS,
    TCPRT_FRAME_RECORD: FrameType.record,
    TCPRT_FRAME_HEALTH: FrameType.health,
    TCPRT_FRAME_CONFIG_ACK: FrameType.configAck,
    TCPRT_MODE_DEFAULT: PORT_MODE_CODES.default,
    TCPRT_MODE_HTTP: PORT_MODE_CODES.http,
    TCPRT_MODE_HTTPS: PORT_MODE_CODES.https,
    TCPRT_SIDE_LOCAL: SIDE_CODES.local,
    TCPRT_SIDE_PEER: SIDE_CODES.peer,
    // enum tcprt_record_type: the letter's character code.
    ...Object.fromEntries(
      ['R', 'W', 'N', 'E', 'P'].map((t) => [`TCPRT_RECORD_${t}`, t.charCodeAt(0)]),
    ),
    TCPRT_RING_BATCHED: RING_PATHS.indexOf('batched'),
    TCPRT_RING_DIRECT: RING_PATHS.indexOf('direct'),
    TCPRT_HOOK_SOCKOPS: bit(HOOK_NAMES.indexOf('sockops')),
    TCPRT_HOOK_EGRESS: bit(HOOK_NAMES.indexOf('cgroup_skb/egress')),
    TCPRT_HOOK_TCP_PROBE: bit(HOOK_NAMES.indexOf('tp_btf/tcp_probe')),
    TCPRT_HOOK_INGRESS: bit(HOOK_NAMES.indexOf('cgroup_skb/ingress')),
    TCPRT_HOOK_RECEIVE_RESET: bit(HOOK_NAMES.indexOf('tp_btf/tcp_receive_reset')),
    TCPRT_CLOSE_FIN_IN: CLOSE_EVENT_CODES.fin_received,
    TCPRT_CLOSE_FIN_OUT: CLOSE_EVENT_CODES.fin_sent,
    TCPRT_CLOSE_RST_IN: CLOSE_EVENT_CODES.rst_received,
    TCPRT_CLOSE_RST_OUT: CLOSE_EVENT_CODES.rst_sent,
    TCPRT_CLOSE_TIMEOUT: CLOSE_EVENT_CODES.timeout,
    TCPRT_PHASE_IDLE: CLOSE_PHASE_CODES.idle,
    TCPRT_PHASE_RECEIVING: CLOSE_PHASE_CODES.receiving,
    TCPRT_PHASE_PROCESSING: CLOSE_PHASE_CODES.processing,
    TCPRT_PHASE_SENDING: CLOSE_PHASE_CODES.sending,
    TCPRT_PHASE_LAST_ACKS: CLOSE_PHASE_CODES.last_acks,
    TCPRT_END_TLS_CLOSE_NOTIFY_IN: PROTOCOL_END_BITS.tls_close_notify_received,
    TCPRT_END_TLS_CLOSE_NOTIFY_OUT: PROTOCOL_END_BITS.tls_close_notify_sent,
    TCPRT_END_MYSQL_QUIT: PROTOCOL_END_BITS.mysql_quit,
    // enum tcprt_extension: one bit per letter, in SPEC order.
    ...Object.fromEntries(
      [...R_EXTENSION_ORDER].map((letter, i) => [`TCPRT_EXT_${letter}`, bit(i)]),
    ),
    TCPRT_HTTP_PATH_MAX: HTTP_PATH_MAX_BYTES,
    // enum tcprt_http_method: TCPRT_HTTP_<method>.
    ...Object.fromEntries(
      Object.entries(HTTP_METHOD_CODES).map(([method, code]) => [`TCPRT_HTTP_${method}`, code]),
    ),
  };
}

it('lays out every frame struct as tcprt.h does, field for field', () => {
  expect(cLayout().structs).toEqual({
    tcprt_stream_header: STREAM_HEADER_LAYOUT,
    tcprt_frame_header: FRAME_HEADER_LAYOUT,
    tcprt_record: RECORD_LAYOUT,
    tcprt_close: CLOSE_LAYOUT,
    tcprt_download: DOWNLOAD_LAYOUT,
    tcprt_http: HTTP_LAYOUT,
    tcprt_first_frame: FIRST_FRAME_LAYOUT,
    tcprt_health: HEALTH_LAYOUT,
    tcprt_config_ack: CONFIG_ACK_LAYOUT,
  });
});

it('uses the enum values and stream magic of tcprt.h', () => {
  const c = cLayout();
  expect(c.constants).toEqual(typescriptConstants());
  expect(c.streamMagic).toBe(STREAM_MAGIC);
});

it('fits tcprt_record.first_frame with its slots exactly', () => {
  expect(RECORD_LAYOUT.fields.first_frame.size).toBe(FIRST_FRAME_STEPS * FIRST_FRAME_LAYOUT.size);
});
