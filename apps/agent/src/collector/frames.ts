/*
 * Decoder of the loader's framed stdout stream. The layout is defined in
 * packages/bpf/src/tcprt.h and mirrored, offset by offset, in ./abi (checked against the header
 * by abi-layout.test.ts). Everything is little-endian.
 */

import type { CloseDetail, DownloadChrono, HttpExchange, PortMode } from '@tcprt/schema';
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
  type AbiField,
  type HookName,
  type RingPath,
} from './abi';
import type { KernelFirstFrameSlot } from './extensions';

/** No frame the loader writes comes near this; a larger length means the stream is corrupt. */
const MAX_FRAME_BYTES = 1 << 16;

export type KernelRecordType = 'R' | 'W' | 'N' | 'E' | 'P';

/** struct tcprt_record, field for field. Times are CLOCK_MONOTONIC ns, durations µs. */
export interface KernelRecord {
  type: KernelRecordType;
  family: 4 | 6;
  peerSide: boolean;
  mode: PortMode;
  reorder: 0 | 1;
  localPort: number;
  remotePort: number;
  taskNum: number;
  /** 4 bytes (IPv4) or 16 bytes (IPv6), network order. */
  localAddr: Uint8Array;
  remoteAddr: Uint8Array;
  startMonotonicNs: bigint;
  bytesSent: number;
  bytesReceived: number;
  bytesUnacked: number;
  totalUs: number;
  processUs: number;
  uploadUs: number;
  serviceUs: number;
  receiveUs: number;
  minRttUs: number;
  retrans: number;
  mss: number;
  srttUs: number;
  cwnd: number;
  /** enum tcprt_extension bits (R records of http/https ports). */
  extensionBits: number;
  /** TLS 1.3 handshake tasks only: ClientHello received → client Finished received. */
  handshakeUs: number | null;
  firstFrame: readonly KernelFirstFrameSlot[];
  /** E records: how the connection ended. */
  close: CloseDetail | null;
  /** R and W records of the server side whose download the chronographs saw. */
  download: DownloadChrono | null;
  /** R and W records of http ports whose request line the kernel saw: method, path, status. */
  http: HttpExchange | null;
}

/** The status `support` entry that says which ring path runs (true: batched). */
export const PER_CPU_BATCHES = 'per-CPU batches (BPF atomics)';

/** struct tcprt_health: counters are cumulative since the loader started. */
export interface CollectorHealth {
  realtimeMinusMonotonicNs: bigint;
  lostRingbufFull: number;
  lostStorageAlloc: number;
  connsTracked: number;
  recordsWritten: number;
  attachedHooks: HookName[];
  active: boolean;
  generation: number;
  portRules: number;
  rangeRules: number;
  /** enum tcprt_ring_path: per-CPU batches, or straight into the ring (kernels without BPF atomics). */
  ringPath: RingPath;
}

/** struct tcprt_config_ack: the loader's answer to one stdin command. */
export interface ConfigAck {
  id: number;
  /** 0, or a negative errno. */
  error: number;
  message: string;
}

export type Frame =
  | { kind: 'record'; record: KernelRecord }
  | { kind: 'health'; health: CollectorHealth }
  | { kind: 'configAck'; ack: ConfigAck };

export class FrameStreamError extends Error {}

const RECORD_TYPES: readonly KernelRecordType[] = ['R', 'W', 'N', 'E', 'P'];
/** Port modes indexed by their code (enum tcprt_mode). */
const MODES: PortMode[] = [];
for (const [mode, code] of Object.entries(PORT_MODE_CODES)) MODES[code] = mode as PortMode;

function safeNumber(value: bigint, field: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER))
    throw new FrameStreamError(`${field} too large: ${value}`);
  return Number(value);
}

/*
 * Record fields are read from the bytes directly rather than with Buffer's read methods: those
 * validate their offset argument on every call, and decoding reads ~30 fields per record (a
 * visible share of the ingest thread's CPU). Callers only read within a payload whose length
 * the frame header was checked against.
 */
function u8(b: Buffer, at: number): number {
  return b[at]!;
}

function u16(b: Buffer, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}

function u32(b: Buffer, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x100_0000;
}

/** Largest high 32-bit half of a u64 that keeps the value a safe integer (2^53 − 1). */
const MAX_SAFE_HIGH_HALF = 0x1fffff;

/**
 * A u64 counter as a number. Read as two 32-bit halves rather than a BigInt: this runs for nine
 * fields of every record, and the BigInt round trip was a measurable share of ingest CPU.
 */
function readU64(b: Buffer, offset: number, field: string): number {
  const high = u32(b, offset + 4);
  if (high > MAX_SAFE_HIGH_HALF)
    throw new FrameStreamError(`${field} too large: ${b.readBigUInt64LE(offset)}`);
  return high * 0x1_0000_0000 + u32(b, offset);
}

/** What every record of a port without first-frame steps carries: shared, not built per record. */
const NO_FIRST_FRAME: readonly KernelFirstFrameSlot[] = Object.freeze(
  Array.from({ length: FIRST_FRAME_STEPS }, () => Object.freeze({ stepBytes: 0, us: 0, bytes: 0 })),
);

/** struct tcprt_record's fields (offsets into the record). */
const R = RECORD_LAYOUT.fields;
/** struct tcprt_first_frame's fields (offsets into one slot). */
const F = FIRST_FRAME_LAYOUT.fields;

function decodeFirstFrame(b: Buffer, record: number): readonly KernelFirstFrameSlot[] {
  let any = 0;
  const first = record + R.first_frame.offset;
  for (let at = first; at < first + R.first_frame.size; at += 4) any |= u32(b, at);
  if (any === 0) return NO_FIRST_FRAME;
  const slots: KernelFirstFrameSlot[] = [];
  for (let i = 0; i < FIRST_FRAME_STEPS; i++) {
    const at = first + i * FIRST_FRAME_LAYOUT.size;
    slots.push({
      stepBytes: u32(b, at + F.step_bytes.offset),
      us: u32(b, at + F.us.offset),
      bytes: readU64(b, at + F.bytes.offset, 'firstFrame.bytes'),
    });
  }
  return slots;
}

/** Names by code of a C enum mirrored in ./abi (codes start at 1; 0 is none). */
function namesByCode<K extends string>(codes: Record<K, number>): (K | undefined)[] {
  const names: (K | undefined)[] = [];
  for (const name of Object.keys(codes) as K[]) names[codes[name]] = name;
  return names;
}

const CLOSE_EVENTS = namesByCode(CLOSE_EVENT_CODES);
const CLOSE_PHASES = namesByCode(CLOSE_PHASE_CODES);
const PROTOCOL_ENDS = Object.keys(PROTOCOL_END_BITS) as (keyof typeof PROTOCOL_END_BITS)[];
const HTTP_METHODS = namesByCode(HTTP_METHOD_CODES);
const C = CLOSE_LAYOUT.fields;
const D = DOWNLOAD_LAYOUT.fields;
const H = HTTP_LAYOUT.fields;

function decodeClose(b: Buffer, record: number): CloseDetail {
  const at = record + R.close.offset;
  const abort = CLOSE_EVENTS[u8(b, at + C.reset.offset)];
  const protocolEnd = u8(b, at + C.protocol_end.offset);
  return {
    first: CLOSE_EVENTS[u8(b, at + C.first.offset)] ?? null,
    abort: abort === 'rst_received' || abort === 'rst_sent' || abort === 'timeout' ? abort : null,
    phase: CLOSE_PHASES[u8(b, at + C.phase.offset)] ?? null,
    phaseUs: u32(b, at + C.phase_us.offset),
    protocolEnds: PROTOCOL_ENDS.filter((end) => protocolEnd & PROTOCOL_END_BITS[end]),
  };
}

function decodeDownload(b: Buffer, record: number): DownloadChrono | null {
  const at = record + R.download.offset;
  if (!u8(b, at + D.measured.offset)) return null;
  return {
    busyUs: u32(b, at + D.busy_us.offset),
    rwndLimitedUs: u32(b, at + D.rwnd_limited_us.offset),
    sndbufLimitedUs: u32(b, at + D.sndbuf_limited_us.offset),
  };
}

/** The kernel's request and status lines of an R or W task (null: no request line seen). */
function decodeHttp(b: Buffer, record: number): HttpExchange | null {
  const at = record + R.http.offset;
  const method = HTTP_METHODS[u8(b, at + H.method.offset)];
  if (!method) return null;
  const path = at + H.path.offset;
  const pathBytes = Math.min(u8(b, at + H.path_len.offset), H.path.size);
  const status = u16(b, at + H.status.offset);
  return {
    method,
    // Printable ASCII only (the kernel keeps no path with other bytes).
    path: b.toString('latin1', path, path + pathBytes),
    pathTruncated: u8(b, at + H.path_truncated.offset) !== 0,
    status: status >= 100 && status <= 999 ? status : null,
  };
}

/**
 * The record whose payload starts at `at` in `b` (read in place: a subarray per record costs an
 * allocation). `buffer` is `b.buffer`, read once per chunk by the caller: that getter is a call
 * into the runtime, which twice per record was a visible share of decoding.
 */
function decodeRecord(b: Buffer, at: number, buffer: ArrayBufferLike): KernelRecord {
  const version = u16(b, at + R.version.offset);
  if (version !== RECORD_VERSION)
    throw new FrameStreamError(`record version ${version}, expected ${RECORD_VERSION}`);
  const typeCode = u8(b, at + R.type.offset);
  const type = String.fromCharCode(typeCode) as KernelRecordType;
  if (!RECORD_TYPES.includes(type))
    throw new FrameStreamError(`unknown record type code ${typeCode}`);
  const family = u8(b, at + R.family.offset);
  if (family !== 4 && family !== 6) throw new FrameStreamError(`unknown address family ${family}`);
  const modeCode = u8(b, at + R.mode.offset);
  const mode = MODES[modeCode];
  if (!mode) throw new FrameStreamError(`unknown port mode ${modeCode}`);
  const addrBytes = family === 4 ? 4 : 16;
  return {
    type,
    family,
    peerSide: u8(b, at + R.side.offset) === SIDE_CODES.peer,
    mode,
    reorder: u8(b, at + R.reorder.offset) ? 1 : 0,
    localPort: u16(b, at + R.local_port.offset),
    remotePort: u16(b, at + R.remote_port.offset),
    taskNum: u32(b, at + R.task_num.offset),
    // Views into the frame's bytes, not copies: the chunk outlives the record only briefly.
    localAddr: new Uint8Array(buffer, b.byteOffset + at + R.local_addr.offset, addrBytes),
    remoteAddr: new Uint8Array(buffer, b.byteOffset + at + R.remote_addr.offset, addrBytes),
    startMonotonicNs: b.readBigUInt64LE(at + R.start_ns.offset),
    bytesSent: readU64(b, at + R.bytes_sent.offset, 'bytesSent'),
    bytesReceived: readU64(b, at + R.bytes_received.offset, 'bytesReceived'),
    bytesUnacked: readU64(b, at + R.bytes_unacked.offset, 'bytesUnacked'),
    totalUs: readU64(b, at + R.total_us.offset, 'totalUs'),
    processUs: readU64(b, at + R.process_us.offset, 'processUs'),
    uploadUs: readU64(b, at + R.upload_us.offset, 'uploadUs'),
    serviceUs: readU64(b, at + R.service_us.offset, 'serviceUs'),
    receiveUs: readU64(b, at + R.receive_us.offset, 'receiveUs'),
    minRttUs: u32(b, at + R.min_rtt_us.offset),
    retrans: u32(b, at + R.retrans.offset),
    mss: u32(b, at + R.mss.offset),
    srttUs: u32(b, at + R.srtt_us.offset),
    cwnd: u32(b, at + R.cwnd.offset),
    extensionBits: u8(b, at + R.extensions.offset),
    handshakeUs: u8(b, at + R.handshake_timed.offset) ? u32(b, at + R.handshake_us.offset) : null,
    firstFrame: decodeFirstFrame(b, at),
    close: type === 'E' ? decodeClose(b, at) : null,
    download: type === 'R' || type === 'W' ? decodeDownload(b, at) : null,
    http: type === 'R' || type === 'W' ? decodeHttp(b, at) : null,
  };
}

function decodeHealth(b: Buffer): CollectorHealth {
  const H = HEALTH_LAYOUT.fields;
  const hooks = b.readUInt32LE(H.attached_hooks.offset);
  const counter = (field: AbiField, name: string) =>
    safeNumber(b.readBigUInt64LE(field.offset), name);
  const ringPathCode = b.readUInt32LE(H.ring_path.offset);
  const ringPath = RING_PATHS[ringPathCode];
  if (!ringPath) throw new FrameStreamError(`unknown ring path ${ringPathCode}`);
  return {
    realtimeMinusMonotonicNs: b.readBigInt64LE(H.realtime_minus_monotonic_ns.offset),
    lostRingbufFull: counter(H.lost_ringbuf_full, 'lostRingbufFull'),
    lostStorageAlloc: counter(H.lost_storage_alloc, 'lostStorageAlloc'),
    connsTracked: counter(H.conns_tracked, 'connsTracked'),
    recordsWritten: counter(H.records_written, 'recordsWritten'),
    attachedHooks: HOOK_NAMES.filter((_, bit) => hooks & (1 << bit)),
    active: b.readUInt32LE(H.active.offset) !== 0,
    generation: b.readUInt32LE(H.generation.offset),
    portRules: b.readUInt32LE(H.port_rules.offset),
    rangeRules: b.readUInt32LE(H.range_rules.offset),
    ringPath,
  };
}

function decodeConfigAck(b: Buffer): ConfigAck {
  const { id, error, message } = CONFIG_ACK_LAYOUT.fields;
  const text = b.subarray(message.offset, message.offset + message.size);
  const end = text.indexOf(0);
  return {
    id: b.readUInt32LE(id.offset),
    error: b.readInt32LE(error.offset),
    message: text.subarray(0, end < 0 ? text.length : end).toString('utf8'),
  };
}

const PAYLOAD_BYTES: Record<number, number> = {
  [FrameType.record]: RECORD_LAYOUT.size,
  [FrameType.health]: HEALTH_LAYOUT.size,
  [FrameType.configAck]: CONFIG_ACK_LAYOUT.size,
};

/** The frame whose payload is `length` bytes from `start` in `b` (`buffer`: `b.buffer`). */
function decodeFrame(
  type: number,
  b: Buffer,
  buffer: ArrayBufferLike,
  start: number,
  length: number,
): Frame | null {
  const expected = PAYLOAD_BYTES[type];
  if (expected === undefined) return null; // a newer loader's frame type: skipped by design
  if (length !== expected) {
    throw new FrameStreamError(
      `frame type ${type}: payload of ${length} bytes, expected ${expected}`,
    );
  }
  switch (type) {
    case FrameType.record:
      return { kind: 'record', record: decodeRecord(b, start, buffer) };
    case FrameType.health:
      return { kind: 'health', health: decodeHealth(b.subarray(start, start + length)) };
    default:
      return { kind: 'configAck', ack: decodeConfigAck(b.subarray(start, start + length)) };
  }
}

/** Incremental decoder: feed stdout chunks as they come, get whole frames back. */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private headerSeen = false;

  /** Throws FrameStreamError when the stream is not a tcprt stream of a supported version. */
  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Frame[] = [];
    let offset = 0;
    if (!this.headerSeen) {
      if (this.pending.length < STREAM_HEADER_LAYOUT.size) return frames;
      this.checkStreamHeader(this.pending);
      this.headerSeen = true;
      offset = STREAM_HEADER_LAYOUT.size;
    }
    const buffer = this.pending.buffer;
    const { size: headerBytes, fields: header } = FRAME_HEADER_LAYOUT;
    while (this.pending.length - offset >= headerBytes) {
      const type = this.pending.readUInt16LE(offset + header.type.offset);
      const length = this.pending.readUInt32LE(offset + header.length.offset);
      if (length > MAX_FRAME_BYTES)
        throw new FrameStreamError(`frame of ${length} bytes: stream corrupt`);
      if (this.pending.length - offset - headerBytes < length) break;
      const start = offset + headerBytes;
      const frame = decodeFrame(type, this.pending, buffer, start, length);
      if (frame) frames.push(frame);
      offset = start + length;
    }
    this.pending = this.pending.subarray(offset);
    return frames;
  }

  private checkStreamHeader(b: Buffer): void {
    const header = STREAM_HEADER_LAYOUT.fields;
    const magic = b
      .subarray(header.magic.offset, header.magic.offset + header.magic.size)
      .toString('latin1');
    if (magic !== STREAM_MAGIC)
      throw new FrameStreamError(`not a tcprt collector stream (magic ${JSON.stringify(magic)})`);
    const streamVersion = b.readUInt16LE(header.stream_version.offset);
    const recordVersion = b.readUInt16LE(header.record_version.offset);
    if (streamVersion !== STREAM_VERSION || recordVersion !== RECORD_VERSION) {
      throw new FrameStreamError(
        `collector stream version ${streamVersion}/record version ${recordVersion}; this agent reads ${STREAM_VERSION}/${RECORD_VERSION}: rebuild packages/bpf`,
      );
    }
  }
}
