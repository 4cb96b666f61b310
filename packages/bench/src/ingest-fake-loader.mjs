#!/usr/bin/env node
/*
 * Stands in for packages/bpf's tcprt-collector in the ingest benchmark: speaks the same stdout
 * frame protocol (stream header, health, config acks, struct tcprt_record of
 * packages/bpf/src/tcprt.h, record version 3: 240 bytes) and writes BENCH_RECORDS records as
 * fast as the pipe takes them, so the agent's side (pipe → decoder → SQLite) is what gets measured. Connections of 3 R records
 * and 1 E record each, on local port BENCH_PORT. With BENCH_RATE (records/s) it writes at that
 * pace instead, every 10 ms what is due.
 */
import { Buffer } from 'node:buffer';
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { setImmediate, setTimeout } from 'node:timers';

const TOTAL = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const RATE = Number(process.env.BENCH_RATE ?? 0);
const PACE_MS = 10;
const PORT = Number(process.env.BENCH_PORT ?? 8080);
const RECORD_VERSION = 3;
const RECORD_BYTES = 240;
const HEALTH_BYTES = 64;
const ACK_BYTES = 128;
const CONNECTIONS_PER_BLOCK = 1024;
const RECORDS_PER_CONNECTION = 4;
const clockOffsetNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

function frame(type, payload) {
  const header = Buffer.alloc(8);
  header.writeUInt16LE(type, 0);
  header.writeUInt32LE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

function health(written) {
  const b = Buffer.alloc(HEALTH_BYTES);
  b.writeBigInt64LE(clockOffsetNs, 0);
  b.writeBigUInt64LE(BigInt(written), 32);
  b.writeUInt32LE(0b1111, 40); // every hook attached
  b.writeUInt32LE(1, 44);
  return frame(2, b);
}

function ack(id) {
  const b = Buffer.alloc(ACK_BYTES);
  b.writeUInt32LE(id, 0);
  return frame(3, b);
}

/** One block of connections; startMonotonicNs at offset 48 of each record is moved on per block. */
function recordBlock() {
  const frames = [];
  for (let c = 0; c < CONNECTIONS_PER_BLOCK; c++) {
    for (let task = 1; task <= RECORDS_PER_CONNECTION; task++) {
      const b = Buffer.alloc(RECORD_BYTES);
      const last = task === RECORDS_PER_CONNECTION;
      b.writeUInt16LE(RECORD_VERSION, 0);
      b.writeUInt8((last ? 'E' : 'R').charCodeAt(0), 2);
      b.writeUInt8(4, 3);
      b.writeUInt16LE(PORT, 8);
      b.writeUInt16LE(20000 + c, 10);
      b.writeUInt32LE(last ? task - 1 : task, 12);
      Buffer.from([127, 0, 0, 1]).copy(b, 16);
      Buffer.from([127, 0, 0, 2]).copy(b, 32);
      const processUs = 100 + ((c * 37 + task * 101) % 5000);
      [1200, 80, 0, processUs + 60, processUs, 20, 0, 0].forEach((v, i) =>
        b.writeBigUInt64LE(BigInt(v), 56 + 8 * i),
      );
      [30, 0, 65483, 40, 10].forEach((v, i) => b.writeUInt32LE(v, 120 + 4 * i));
      frames.push(frame(1, b));
    }
  }
  return Buffer.concat(frames);
}

const FRAME_BYTES = 8 + RECORD_BYTES;
const block = recordBlock();
const perBlock = CONNECTIONS_PER_BLOCK * RECORDS_PER_CONNECTION;
let written = 0;
let streaming = false;

function stampBlock() {
  const base = process.hrtime.bigint();
  for (let i = 0; i < perBlock; i++)
    block.writeBigUInt64LE(base + BigInt(i) * 1000n, i * FRAME_BYTES + 8 + 48);
}

/** Writes blocks until `until` records are written or the pipe is full; true when it is full. */
function writeUpTo(until, resume) {
  while (written < until) {
    const n = Math.min(perBlock, until - written);
    stampBlock();
    written += n;
    const ok = process.stdout.write(
      n === perBlock ? Buffer.from(block) : block.subarray(0, n * FRAME_BYTES),
    );
    if (!ok) {
      process.stdout.once('drain', resume);
      return true;
    }
  }
  return false;
}

function finish() {
  process.stdout.write(health(written));
  process.stderr.write(`fake loader: wrote ${written} records\n`);
}

function stream() {
  if (!writeUpTo(TOTAL, stream)) finish();
}

/** At RATE: every PACE_MS what is due since the start; a full pipe is waited for, then caught up. */
function paced(startMs = performance.now()) {
  const due = Math.min(TOTAL, Math.floor(((performance.now() - startMs) * RATE) / 1000));
  if (writeUpTo(due, () => paced(startMs))) return;
  if (written >= TOTAL) finish();
  else setTimeout(() => paced(startMs), PACE_MS);
}

const header = Buffer.alloc(8);
header.write('TCRT', 0, 'latin1');
header.writeUInt16LE(1, 4);
header.writeUInt16LE(RECORD_VERSION, 6);
process.stdout.write(Buffer.concat([header, health(0)]));

let pending = '';
process.stdin.setEncoding('utf8').on('data', (chunk) => {
  const lines = (pending + chunk).split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    const id = Number(line.split(' ')[1]);
    process.stdout.write(ack(id));
    if (line.startsWith('rules') && !streaming) {
      streaming = true;
      setImmediate(RATE > 0 ? paced : stream);
    }
  }
});
process.on('SIGTERM', () => process.exit(0));
