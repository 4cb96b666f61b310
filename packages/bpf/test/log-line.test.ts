import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLogLine } from '@tcprt/schema';
import { writeField } from '@tcprt/testkit/abi-buffer';
import {
  FIRST_FRAME_LAYOUT,
  FRAME_HEADER_LAYOUT,
  FrameType,
  HEALTH_LAYOUT,
  RECORD_LAYOUT,
  RECORD_VERSION,
  STREAM_HEADER_LAYOUT,
  STREAM_MAGIC,
  STREAM_VERSION,
} from '@tcprt/agent/collector/abi';
import { FrameDecoder } from '@tcprt/agent/collector/frames';
import { toTcprtRecord } from '@tcprt/agent/collector/to-record';

/*
 * The loader's `--output lines` formats records in C (packages/bpf/src/loader/log_line.c); the
 * agent formats the same records in TypeScript. This holds the two to the same bytes: random
 * struct tcprt_record buffers go through tcprt-format-lines (the C formatter, built by the bpf
 * Makefile) and through FrameDecoder → toTcprtRecord → formatLogLine.
 */

const FORMAT_LINES = path.resolve(import.meta.dirname, '../build/tcprt-format-lines');

const MAX_U64 = 2n ** 64n - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** struct tcprt_record fields the formatter reads, as raw values (any byte where the agent accepts any). */
interface RawRecord {
  type: string;
  family: 4 | 6;
  side: number;
  mode: number;
  reorder: number;
  localPort: number;
  remotePort: number;
  taskNum: number;
  localAddr: Uint8Array;
  remoteAddr: Uint8Array;
  startNs: bigint;
  /** U64_FIELDS, in that order. */
  u64s: bigint[];
  /** U32_FIELDS, in that order. */
  u32s: number[];
  extensions: number;
  handshakeTimed: number;
  handshakeUs: number;
  firstFrame: { stepBytes: number; us: number; bytes: bigint }[];
}

type Frame = { health: bigint } | { record: RawRecord };

const R = RECORD_LAYOUT.fields;
const U64_FIELDS = [
  R.bytes_sent,
  R.bytes_received,
  R.bytes_unacked,
  R.total_us,
  R.process_us,
  R.upload_us,
  R.service_us,
  R.receive_us,
];
const U32_FIELDS = [R.min_rtt_us, R.retrans, R.mss, R.srtt_us, R.cwnd];

const u32 = fc.oneof(fc.nat(100), fc.constant(0xffff_ffff), fc.nat({ max: 0xffff_ffff }));
// The agent refuses u64 counters above 2^53 − 1 (frames.ts readU64), so both sides are compared below that.
const u64 = fc.oneof(fc.bigInt(0n, 1000n), fc.bigInt(0n, MAX_SAFE));
const zeroHeavyGroup = fc.oneof(fc.constant(0), fc.constant(0), fc.nat(0xffff));
const address = fc.oneof(
  fc.uint8Array({ minLength: 16, maxLength: 16 }),
  // IPv6 with runs of zero groups, for the "::" rule.
  fc
    .array(zeroHeavyGroup, { minLength: 8, maxLength: 8 })
    .map((groups) => Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 0xff]))),
  // IPv4-mapped IPv6, printed as IPv4; IPv4 itself uses only the first 4 of the 16 bytes.
  fc
    .uint8Array({ minLength: 4, maxLength: 4 })
    .map((v4) => Uint8Array.from([...Array<number>(10).fill(0), 0xff, 0xff, ...v4])),
);

const rawRecord: fc.Arbitrary<RawRecord> = fc.record({
  type: fc.constantFrom('R', 'W', 'N', 'E', 'P'),
  family: fc.constantFrom(4 as const, 6 as const),
  side: fc.nat(1),
  mode: fc.nat(2),
  reorder: fc.oneof(fc.nat(1), fc.nat(255)),
  localPort: fc.nat(65535),
  remotePort: fc.nat(65535),
  taskNum: u32,
  localAddr: address,
  remoteAddr: address,
  startNs: fc.bigInt(0n, MAX_U64),
  u64s: fc.array(u64, { minLength: U64_FIELDS.length, maxLength: U64_FIELDS.length }),
  u32s: fc.array(u32, { minLength: U32_FIELDS.length, maxLength: U32_FIELDS.length }),
  extensions: fc.oneof(fc.nat(31), fc.nat(255)),
  handshakeTimed: fc.oneof(fc.nat(1), fc.nat(255)),
  handshakeUs: u32,
  firstFrame: fc.array(
    fc.record({ stepBytes: fc.oneof(fc.constant(0), u32), us: u32, bytes: u64 }),
    { minLength: 4, maxLength: 4 },
  ),
});

// Any realtime − monotonic offset, negative and beyond real clocks included: the header must agree anyway.
const health = fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n).map((offset) => ({ health: offset }));

/** A stream opens with a health frame (the agent needs its clock offset first), then any mix. */
const frames: fc.Arbitrary<Frame[]> = fc
  .tuple(
    health,
    fc.array(fc.oneof({ arbitrary: rawRecord.map((record) => ({ record })), weight: 5 }, health), {
      maxLength: 40,
    }),
  )
  .map(([first, rest]) => [first, ...rest]);

function encodeRecord(r: RawRecord): Buffer {
  const b = Buffer.alloc(RECORD_LAYOUT.size);
  writeField(b, R.version, RECORD_VERSION);
  writeField(b, R.type, r.type.charCodeAt(0));
  writeField(b, R.family, r.family);
  writeField(b, R.side, r.side);
  writeField(b, R.mode, r.mode);
  writeField(b, R.reorder, r.reorder);
  writeField(b, R.local_port, r.localPort);
  writeField(b, R.remote_port, r.remotePort);
  writeField(b, R.task_num, r.taskNum);
  writeField(b, R.local_addr, r.localAddr);
  writeField(b, R.remote_addr, r.remoteAddr);
  writeField(b, R.start_ns, r.startNs);
  r.u64s.forEach((v, i) => writeField(b, U64_FIELDS[i]!, v));
  r.u32s.forEach((v, i) => writeField(b, U32_FIELDS[i]!, v));
  writeField(b, R.extensions, r.extensions);
  writeField(b, R.handshake_timed, r.handshakeTimed);
  writeField(b, R.handshake_us, r.handshakeUs);
  r.firstFrame.forEach((step, i) => {
    const slot = R.first_frame.offset + i * FIRST_FRAME_LAYOUT.size;
    writeField(b, FIRST_FRAME_LAYOUT.fields.step_bytes, step.stepBytes, slot);
    writeField(b, FIRST_FRAME_LAYOUT.fields.us, step.us, slot);
    writeField(b, FIRST_FRAME_LAYOUT.fields.bytes, step.bytes, slot);
  });
  return b;
}

function encodeStream(list: Frame[]): Buffer {
  const header = Buffer.alloc(STREAM_HEADER_LAYOUT.size);
  writeField(header, STREAM_HEADER_LAYOUT.fields.magic, STREAM_MAGIC);
  writeField(header, STREAM_HEADER_LAYOUT.fields.stream_version, STREAM_VERSION);
  writeField(header, STREAM_HEADER_LAYOUT.fields.record_version, RECORD_VERSION);
  const parts: Buffer[] = [header];
  for (const f of list) {
    const payload = 'record' in f ? encodeRecord(f.record) : Buffer.alloc(HEALTH_LAYOUT.size);
    if ('health' in f)
      writeField(payload, HEALTH_LAYOUT.fields.realtime_minus_monotonic_ns, f.health);
    const frameHeader = Buffer.alloc(FRAME_HEADER_LAYOUT.size);
    writeField(
      frameHeader,
      FRAME_HEADER_LAYOUT.fields.type,
      'record' in f ? FrameType.record : FrameType.health,
    );
    writeField(frameHeader, FRAME_HEADER_LAYOUT.fields.length, payload.length);
    parts.push(frameHeader, payload);
  }
  return Buffer.concat(parts);
}

/** The agent's lines: what `tcprt collect` printed before the loader formatted them itself. */
function typescriptLines(stream: Buffer): string[] {
  let offsetNs = 0n;
  const lines: string[] = [];
  for (const frame of new FrameDecoder().push(stream)) {
    if (frame.kind === 'health') offsetNs = frame.health.realtimeMinusMonotonicNs;
    else if (frame.kind === 'record')
      lines.push(formatLogLine(toTcprtRecord(frame.record, offsetNs)));
  }
  return lines;
}

function cLines(stream: Buffer): string[] {
  const run = spawnSync(FORMAT_LINES, { input: stream, encoding: 'latin1' });
  if (run.status !== 0) throw new Error(`tcprt-format-lines failed (${run.status}): ${run.stderr}`);
  return run.stdout.split(/(?<=\n)/).filter(Boolean);
}

describe('the C log-line formatter (loader --output lines)', () => {
  it('is built', () => {
    expect(existsSync(FORMAT_LINES), `${FORMAT_LINES}: run pnpm --filter @tcprt/bpf build`).toBe(
      true,
    );
  });

  it('prints the bytes formatLogLine(toTcprtRecord(...)) prints, for any record and clock offset', () => {
    fc.assert(
      fc.property(frames, (list) => {
        const stream = encodeStream(list);
        expect(cLines(stream)).toEqual(typescriptLines(stream));
      }),
      { numRuns: 400 },
    );
  });

  it('covers what the property relies on: every type, V6 and V7, IPv6, mapped IPv4, extensions', () => {
    // A formatter that printed nothing would pass the property: check that real lines come out.
    const sample = fc.sample(frames, { numRuns: 300, seed: 1 }).flat();
    const lines = cLines(encodeStream(sample)).join('');
    for (const pattern of [
      /^V6 R /m,
      /^V7 R\.[CZAHF]+ /m,
      /^V6 W /m,
      /^V7 N /m,
      /^V6 E /m,
      /^V7 P /m,
    ]) {
      expect(lines).toMatch(pattern);
    }
    expect(lines).toMatch(/ \[[0-9a-f:]*::[0-9a-f:]*\]:\d+ /); // compressed IPv6
    expect(lines).toMatch(/^V\d \S+ \d+ \d+ \d+\.\d+\.\d+\.\d+:\d+ /m);
    expect(lines).toMatch(/ \d+:\d+ \n/); // first_frame tokens
    expect(lines).toMatch(/^V\d \S+ -/m); // a wall clock before 1970 (negative offsets)
  });
});
