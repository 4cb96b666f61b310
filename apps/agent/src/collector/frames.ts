/*
 * Decoder of the loader's framed stdout stream. The layout is defined in
 * packages/bpf/src/tcprt.h (struct tcprt_record, tcprt_health, tcprt_config_ack); the offsets
 * below must follow it. Everything is little-endian.
 */

import type { KernelFirstFrameSlot } from './extensions';

export const STREAM_MAGIC = 'TCRT';
export const STREAM_VERSION = 1;
export const RECORD_VERSION = 2;
export const STREAM_HEADER_BYTES = 8;
export const FRAME_HEADER_BYTES = 8;
export const RECORD_BYTES = 216;
export const HEALTH_BYTES = 64;
export const CONFIG_ACK_BYTES = 128;
const FIRST_FRAME_OFFSET = 152;
const FIRST_FRAME_SLOT_BYTES = 16;
const FIRST_FRAME_SLOTS = 4;
/** No frame the loader writes comes near this; a larger length means the stream is corrupt. */
const MAX_FRAME_BYTES = 1 << 16;

export const FrameType = { record: 1, health: 2, configAck: 3 } as const;

export type KernelRecordType = 'R' | 'W' | 'N' | 'E' | 'P';
export type PortMode = 'default' | 'http' | 'https';

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
}

export const HOOK_NAMES = [
  'sockops',
  'cgroup_skb/egress',
  'tp_btf/tcp_probe',
  'cgroup_skb/ingress',
] as const;
export type HookName = (typeof HOOK_NAMES)[number];

export const RING_PATHS = ['batched', 'direct'] as const;
export type RingPath = (typeof RING_PATHS)[number];
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
const MODES: readonly PortMode[] = ['default', 'http', 'https'];

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
  Array.from({ length: FIRST_FRAME_SLOTS }, () => Object.freeze({ stepBytes: 0, us: 0, bytes: 0 })),
);

function decodeFirstFrame(b: Buffer, record: number): readonly KernelFirstFrameSlot[] {
  let any = 0;
  const first = record + FIRST_FRAME_OFFSET;
  for (let at = first; at < first + FIRST_FRAME_SLOTS * FIRST_FRAME_SLOT_BYTES; at += 4) {
    any |= u32(b, at);
  }
  if (any === 0) return NO_FIRST_FRAME;
  const slots: KernelFirstFrameSlot[] = [];
  for (let i = 0; i < FIRST_FRAME_SLOTS; i++) {
    const at = first + i * FIRST_FRAME_SLOT_BYTES;
    slots.push({
      stepBytes: u32(b, at),
      us: u32(b, at + 4),
      bytes: readU64(b, at + 8, 'firstFrame.bytes'),
    });
  }
  return slots;
}

/**
 * The record whose payload starts at `at` in `b` (read in place: a subarray per record costs an
 * allocation). `buffer` is `b.buffer`, read once per chunk by the caller: that getter is a call
 * into the runtime, which twice per record was a visible share of decoding.
 */
function decodeRecord(b: Buffer, at: number, buffer: ArrayBufferLike): KernelRecord {
  const version = u16(b, at);
  if (version !== RECORD_VERSION)
    throw new FrameStreamError(`record version ${version}, expected ${RECORD_VERSION}`);
  const type = String.fromCharCode(u8(b, at + 2)) as KernelRecordType;
  if (!RECORD_TYPES.includes(type))
    throw new FrameStreamError(`unknown record type code ${u8(b, at + 2)}`);
  const family = u8(b, at + 3);
  if (family !== 4 && family !== 6) throw new FrameStreamError(`unknown address family ${family}`);
  const mode = MODES[u8(b, at + 5)];
  if (!mode) throw new FrameStreamError(`unknown port mode ${u8(b, at + 5)}`);
  const addrBytes = family === 4 ? 4 : 16;
  return {
    type,
    family,
    peerSide: u8(b, at + 4) === 1,
    mode,
    reorder: u8(b, at + 6) ? 1 : 0,
    localPort: u16(b, at + 8),
    remotePort: u16(b, at + 10),
    taskNum: u32(b, at + 12),
    // Views into the frame's bytes, not copies: the chunk outlives the record only briefly.
    localAddr: new Uint8Array(buffer, b.byteOffset + at + 16, addrBytes),
    remoteAddr: new Uint8Array(buffer, b.byteOffset + at + 32, addrBytes),
    startMonotonicNs: b.readBigUInt64LE(at + 48),
    bytesSent: readU64(b, at + 56, 'bytesSent'),
    bytesReceived: readU64(b, at + 64, 'bytesReceived'),
    bytesUnacked: readU64(b, at + 72, 'bytesUnacked'),
    totalUs: readU64(b, at + 80, 'totalUs'),
    processUs: readU64(b, at + 88, 'processUs'),
    uploadUs: readU64(b, at + 96, 'uploadUs'),
    serviceUs: readU64(b, at + 104, 'serviceUs'),
    receiveUs: readU64(b, at + 112, 'receiveUs'),
    minRttUs: u32(b, at + 120),
    retrans: u32(b, at + 124),
    mss: u32(b, at + 128),
    srttUs: u32(b, at + 132),
    cwnd: u32(b, at + 136),
    extensionBits: u8(b, at + 140),
    handshakeUs: u8(b, at + 141) ? u32(b, at + 144) : null,
    firstFrame: decodeFirstFrame(b, at),
  };
}

function decodeHealth(b: Buffer): CollectorHealth {
  const hooks = b.readUInt32LE(40);
  const ringPath = RING_PATHS[b.readUInt32LE(60)];
  if (!ringPath) throw new FrameStreamError(`unknown ring path ${b.readUInt32LE(60)}`);
  return {
    realtimeMinusMonotonicNs: b.readBigInt64LE(0),
    lostRingbufFull: safeNumber(b.readBigUInt64LE(8), 'lostRingbufFull'),
    lostStorageAlloc: safeNumber(b.readBigUInt64LE(16), 'lostStorageAlloc'),
    connsTracked: safeNumber(b.readBigUInt64LE(24), 'connsTracked'),
    recordsWritten: safeNumber(b.readBigUInt64LE(32), 'recordsWritten'),
    attachedHooks: HOOK_NAMES.filter((_, bit) => hooks & (1 << bit)),
    active: b.readUInt32LE(44) !== 0,
    generation: b.readUInt32LE(48),
    portRules: b.readUInt32LE(52),
    rangeRules: b.readUInt32LE(56),
    ringPath,
  };
}

function decodeConfigAck(b: Buffer): ConfigAck {
  const text = b.subarray(8, CONFIG_ACK_BYTES);
  const end = text.indexOf(0);
  return {
    id: b.readUInt32LE(0),
    error: b.readInt32LE(4),
    message: text.subarray(0, end < 0 ? text.length : end).toString('utf8'),
  };
}

const PAYLOAD_BYTES: Record<number, number> = {
  [FrameType.record]: RECORD_BYTES,
  [FrameType.health]: HEALTH_BYTES,
  [FrameType.configAck]: CONFIG_ACK_BYTES,
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
      if (this.pending.length < STREAM_HEADER_BYTES) return frames;
      this.checkStreamHeader(this.pending);
      this.headerSeen = true;
      offset = STREAM_HEADER_BYTES;
    }
    const buffer = this.pending.buffer;
    while (this.pending.length - offset >= FRAME_HEADER_BYTES) {
      const type = this.pending.readUInt16LE(offset);
      const length = this.pending.readUInt32LE(offset + 4);
      if (length > MAX_FRAME_BYTES)
        throw new FrameStreamError(`frame of ${length} bytes: stream corrupt`);
      if (this.pending.length - offset - FRAME_HEADER_BYTES < length) break;
      const start = offset + FRAME_HEADER_BYTES;
      const frame = decodeFrame(type, this.pending, buffer, start, length);
      if (frame) frames.push(frame);
      offset = start + length;
    }
    this.pending = this.pending.subarray(offset);
    return frames;
  }

  private checkStreamHeader(b: Buffer): void {
    const magic = b.subarray(0, 4).toString('latin1');
    if (magic !== STREAM_MAGIC)
      throw new FrameStreamError(`not a tcprt collector stream (magic ${JSON.stringify(magic)})`);
    const streamVersion = b.readUInt16LE(4);
    const recordVersion = b.readUInt16LE(6);
    if (streamVersion !== STREAM_VERSION || recordVersion !== RECORD_VERSION) {
      throw new FrameStreamError(
        `collector stream version ${streamVersion}/record version ${recordVersion}; this agent reads ${STREAM_VERSION}/${RECORD_VERSION}: rebuild packages/bpf`,
      );
    }
  }
}
