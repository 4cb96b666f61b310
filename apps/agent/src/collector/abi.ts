import {
  HTTP_PATH_MAX_BYTES,
  type CloseEvent,
  type ClosePhase,
  type HttpMethod,
  type PortMode,
  type ProtocolEnd,
} from '@tcprt/schema';

/*
 * The loader's frame stream as packages/bpf/src/tcprt.h lays it out, and the agent's one copy of
 * it: byte offset and size of every field of the structs the loader writes, and the enum values
 * both sides use. abi-layout.test.ts compiles a program against tcprt.h that prints the same
 * table and compares the two, so a field moved on one side only fails the tests. Field names are
 * the C names. Everything is little-endian.
 */

export interface AbiField {
  offset: number;
  size: number;
}

export interface AbiStruct {
  size: number;
  fields: Record<string, AbiField>;
}

export const STREAM_MAGIC = 'TCRT';
/** TCPRT_STREAM_VERSION */
export const STREAM_VERSION = 1;
/** TCPRT_RECORD_VERSION: bumped with every change of struct tcprt_record. */
export const RECORD_VERSION = 4;
/** struct tcprt_stream_header: once, at the start of the stream. */
export const STREAM_HEADER_LAYOUT = {
  size: 8,
  fields: {
    magic: { offset: 0, size: 4 },
    stream_version: { offset: 4, size: 2 },
    record_version: { offset: 6, size: 2 },
  },
} as const satisfies AbiStruct;

/** struct tcprt_frame_header: one before every payload. */
export const FRAME_HEADER_LAYOUT = {
  size: 8,
  fields: {
    type: { offset: 0, size: 2 },
    reserved: { offset: 2, size: 2 },
    length: { offset: 4, size: 4 },
  },
} as const satisfies AbiStruct;

/** struct tcprt_record */
export const RECORD_LAYOUT = {
  size: 344,
  fields: {
    version: { offset: 0, size: 2 },
    type: { offset: 2, size: 1 },
    family: { offset: 3, size: 1 },
    side: { offset: 4, size: 1 },
    mode: { offset: 5, size: 1 },
    reorder: { offset: 6, size: 1 },
    reserved: { offset: 7, size: 1 },
    local_port: { offset: 8, size: 2 },
    remote_port: { offset: 10, size: 2 },
    task_num: { offset: 12, size: 4 },
    local_addr: { offset: 16, size: 16 },
    remote_addr: { offset: 32, size: 16 },
    start_ns: { offset: 48, size: 8 },
    bytes_sent: { offset: 56, size: 8 },
    bytes_received: { offset: 64, size: 8 },
    bytes_unacked: { offset: 72, size: 8 },
    total_us: { offset: 80, size: 8 },
    process_us: { offset: 88, size: 8 },
    upload_us: { offset: 96, size: 8 },
    service_us: { offset: 104, size: 8 },
    receive_us: { offset: 112, size: 8 },
    min_rtt_us: { offset: 120, size: 4 },
    retrans: { offset: 124, size: 4 },
    mss: { offset: 128, size: 4 },
    srtt_us: { offset: 132, size: 4 },
    cwnd: { offset: 136, size: 4 },
    extensions: { offset: 140, size: 1 },
    handshake_timed: { offset: 141, size: 1 },
    reserved2: { offset: 142, size: 2 },
    handshake_us: { offset: 144, size: 4 },
    reserved3: { offset: 148, size: 4 },
    /** TCPRT_FIRST_FRAME_STEPS × struct tcprt_first_frame */
    first_frame: { offset: 152, size: 64 },
    /** struct tcprt_close (E records) */
    close: { offset: 216, size: 8 },
    /** struct tcprt_download (R and W records of the server side) */
    download: { offset: 224, size: 16 },
    /** struct tcprt_http (R and W records of http ports) */
    http: { offset: 240, size: 104 },
  },
} as const satisfies AbiStruct;

/** struct tcprt_close: tcprt_record.close. */
export const CLOSE_LAYOUT = {
  size: 8,
  fields: {
    first: { offset: 0, size: 1 },
    reset: { offset: 1, size: 1 },
    phase: { offset: 2, size: 1 },
    protocol_end: { offset: 3, size: 1 },
    phase_us: { offset: 4, size: 4 },
  },
} as const satisfies AbiStruct;

/** struct tcprt_download: tcprt_record.download. */
export const DOWNLOAD_LAYOUT = {
  size: 16,
  fields: {
    busy_us: { offset: 0, size: 4 },
    rwnd_limited_us: { offset: 4, size: 4 },
    sndbuf_limited_us: { offset: 8, size: 4 },
    measured: { offset: 12, size: 1 },
    reserved: { offset: 13, size: 3 },
  },
} as const satisfies AbiStruct;

/** struct tcprt_http: tcprt_record.http. */
export const HTTP_LAYOUT = {
  size: 104,
  fields: {
    method: { offset: 0, size: 1 },
    path_len: { offset: 1, size: 1 },
    path_truncated: { offset: 2, size: 1 },
    reserved: { offset: 3, size: 1 },
    status: { offset: 4, size: 2 },
    reserved2: { offset: 6, size: 2 },
    /** TCPRT_HTTP_PATH_MAX bytes, zeros after path_len */
    path: { offset: 8, size: HTTP_PATH_MAX_BYTES },
  },
} as const satisfies AbiStruct;

/** enum tcprt_http_method (0: the task's request line was not seen). */
export const HTTP_METHOD_CODES = {
  GET: 1,
  HEAD: 2,
  POST: 3,
  PUT: 4,
  DELETE: 5,
  PATCH: 6,
  OPTIONS: 7,
  CONNECT: 8,
  TRACE: 9,
  OTHER: 10,
} as const satisfies Record<HttpMethod, number>;

/** enum tcprt_close_event (0: none). */
export const CLOSE_EVENT_CODES = {
  fin_received: 1,
  fin_sent: 2,
  rst_received: 3,
  rst_sent: 4,
  timeout: 5,
} as const satisfies Record<CloseEvent, number>;

/** enum tcprt_close_phase (0: unknown). */
export const CLOSE_PHASE_CODES = {
  idle: 1,
  receiving: 2,
  processing: 3,
  sending: 4,
  last_acks: 5,
} as const satisfies Record<ClosePhase, number>;

/** enum tcprt_protocol_end: one bit each. */
export const PROTOCOL_END_BITS = {
  tls_close_notify_received: 1 << 0,
  tls_close_notify_sent: 1 << 1,
  mysql_quit: 1 << 2,
} as const satisfies Record<ProtocolEnd, number>;

/** TCPRT_FIRST_FRAME_STEPS: the slots of tcprt_record.first_frame. */
export const FIRST_FRAME_STEPS = 4;

/** struct tcprt_first_frame: one slot of tcprt_record.first_frame. */
export const FIRST_FRAME_LAYOUT = {
  size: 16,
  fields: {
    step_bytes: { offset: 0, size: 4 },
    us: { offset: 4, size: 4 },
    bytes: { offset: 8, size: 8 },
  },
} as const satisfies AbiStruct;

/** struct tcprt_health */
export const HEALTH_LAYOUT = {
  size: 64,
  fields: {
    realtime_minus_monotonic_ns: { offset: 0, size: 8 },
    lost_ringbuf_full: { offset: 8, size: 8 },
    lost_storage_alloc: { offset: 16, size: 8 },
    conns_tracked: { offset: 24, size: 8 },
    records_written: { offset: 32, size: 8 },
    attached_hooks: { offset: 40, size: 4 },
    active: { offset: 44, size: 4 },
    generation: { offset: 48, size: 4 },
    port_rules: { offset: 52, size: 4 },
    range_rules: { offset: 56, size: 4 },
    ring_path: { offset: 60, size: 4 },
  },
} as const satisfies AbiStruct;

/** struct tcprt_config_ack */
export const CONFIG_ACK_LAYOUT = {
  size: 128,
  fields: {
    id: { offset: 0, size: 4 },
    error: { offset: 4, size: 4 },
    /** NUL-terminated text. */
    message: { offset: 8, size: 120 },
  },
} as const satisfies AbiStruct;

/** enum tcprt_frame_type */
export const FrameType = { record: 1, health: 2, configAck: 3 } as const;

/** enum tcprt_mode: how a rule's port is traced, as the record's `mode` and the `rules` command carry it. */
export const PORT_MODE_CODES = { default: 0, http: 1, https: 2 } as const satisfies Record<
  PortMode,
  number
>;

/** enum tcprt_side */
export const SIDE_CODES = { local: 0, peer: 1 } as const;

/** enum tcprt_hook: bit i of tcprt_health.attached_hooks is HOOK_NAMES[i]. */
export const HOOK_NAMES = [
  'sockops',
  'cgroup_skb/egress',
  'tp_btf/tcp_probe',
  'cgroup_skb/ingress',
  'tp_btf/tcp_receive_reset',
] as const;
export type HookName = (typeof HOOK_NAMES)[number];

/** enum tcprt_ring_path: RING_PATHS[code] is how entries reach the ring buffer (bpf/ring.h). */
export const RING_PATHS = ['batched', 'direct'] as const;
export type RingPath = (typeof RING_PATHS)[number];
