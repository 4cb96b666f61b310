import {
  ipFromBytes,
  type Endpoint,
  type ERecord,
  type RRecord,
  type TcprtRecord,
  type WRecord,
} from '@tcprt/schema';
import { extensionLetters, firstFrameSteps } from './extensions';
import type { KernelRecord } from './frames';

const NS_PER_SEC = 1_000_000_000n;
const NS_PER_US = 1_000n;
const US_PER_SEC = 1_000_000;
/** Bound of the address text cache; when full it starts over (a busy server sees far fewer distinct peers per minute). */
const IP_CACHE_ENTRIES = 65_536;
const ipv4Text = new Map<number, string>();

/**
 * Address text of a record's address bytes. IPv4 texts are cached by address: formatting one per
 * endpoint per record was a visible share of ingest CPU, and the same few addresses recur.
 */
function ipText(bytes: Uint8Array): string {
  if (bytes.length !== 4) return ipFromBytes(bytes);
  const key = bytes[0]! * 0x100_0000 + ((bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!);
  let text = ipv4Text.get(key);
  if (text === undefined) {
    if (ipv4Text.size >= IP_CACHE_ENTRIES) ipv4Text.clear();
    text = ipFromBytes(bytes);
    ipv4Text.set(key, text);
  }
  return text;
}

/** Wall-clock ns up to which whole µs are exact numbers (2^53 µs: the year 2255). */
const FAST_WALL_NS_BELOW = BigInt(Number.MAX_SAFE_INTEGER) * NS_PER_US;

/**
 * Header seconds and µs of a wall-clock time in ns. One BigInt division and exact number math for
 * any time up to the year 2255 (ingest runs this for every record); BigInt all the way otherwise.
 */
function wallClock(wallNs: bigint): { startSec: number; startUsec: number } {
  if (wallNs >= 0n && wallNs < FAST_WALL_NS_BELOW) {
    const wallUs = Number(wallNs / NS_PER_US);
    const startUsec = wallUs % US_PER_SEC;
    return { startSec: (wallUs - startUsec) / US_PER_SEC, startUsec };
  }
  return {
    startSec: Number(wallNs / NS_PER_SEC),
    startUsec: Number((wallNs % NS_PER_SEC) / NS_PER_US),
  };
}

/** Adds the fields SPEC §2 appends to R records of http/https ports. */
function addV7Fields(r: RRecord, k: KernelRecord): void {
  const extensions = extensionLetters(k.extensionBits);
  r.srttUs = k.srttUs;
  r.cwnd = k.cwnd;
  r.extensions = extensions;
  if (k.handshakeUs !== null && extensions.includes('H')) r.handshakeUs = k.handshakeUs;
  if (extensions.includes('F')) r.firstFrame = firstFrameSteps(k.firstFrame);
}

/**
 * The schema record of a kernel record. `realtimeMinusMonotonicNs` (from the loader's health
 * frames) turns the kernel's monotonic task start into the wall-clock header time; durations
 * stay monotonic, as SPEC §2 says.
 */
export function toTcprtRecord(k: KernelRecord, realtimeMinusMonotonicNs: bigint): TcprtRecord {
  const { startSec, startUsec } = wallClock(k.startMonotonicNs + realtimeMinusMonotonicNs);
  const peer: Endpoint = { ip: ipText(k.remoteAddr), port: k.remotePort };
  const local: Endpoint = { ip: ipText(k.localAddr), port: k.localPort };
  // Ports in http/https mode write V7 lines (SPEC §2); the rest stay V6.
  const version = k.mode === 'default' ? 'V6' : 'V7';
  // Header fields written out in each literal rather than spread from a shared object: a spread
  // in the middle of a literal takes V8's slow path, and this runs for every record.
  switch (k.type) {
    case 'R': {
      const r: RRecord = {
        type: 'R',
        version,
        startSec,
        startUsec,
        peer,
        local,
        bytesSent: k.bytesSent,
        totalUs: k.totalUs,
        minRttUs: k.minRttUs,
        retrans: k.retrans,
        taskNum: k.taskNum,
        processUs: k.processUs,
        uploadUs: k.uploadUs,
        bytesReceived: k.bytesReceived,
        reorder: k.reorder,
        mss: k.mss,
      };
      if (version === 'V7') addV7Fields(r, k);
      if (k.download) r.download = k.download;
      if (k.http) r.http = k.http;
      return r;
    }
    case 'W': {
      const w: WRecord = {
        type: 'W',
        version,
        startSec,
        startUsec,
        peer,
        local,
        bytesSent: k.bytesSent,
        elapsedUs: k.totalUs,
        minRttUs: k.minRttUs,
        retrans: k.retrans,
        taskNum: k.taskNum,
        processUs: k.processUs,
        uploadUs: k.uploadUs,
        bytesUnacked: k.bytesUnacked,
        reorder: k.reorder,
        mss: k.mss,
      };
      if (k.download) w.download = k.download;
      if (k.http) w.http = k.http;
      return w;
    }
    case 'N':
      return {
        type: 'N',
        version,
        startSec,
        startUsec,
        peer,
        local,
        taskNum: k.taskNum,
        elapsedUs: k.totalUs,
        bytesReceived: k.bytesReceived,
        reorder: k.reorder,
        mss: k.mss,
      };
    case 'E': {
      const e: ERecord = {
        type: 'E',
        version,
        startSec,
        startUsec,
        peer,
        local,
        taskNum: k.taskNum,
        bytesSent: k.bytesSent,
        bytesUnacked: k.bytesUnacked,
        bytesReceived: k.bytesReceived,
        retrans: k.retrans,
        minRttUs: k.minRttUs,
      };
      if (k.close) e.close = k.close;
      return e;
    }
    case 'P':
      return {
        type: 'P',
        version,
        startSec,
        startUsec,
        peer,
        local,
        bytesSent: k.bytesSent,
        totalUs: k.totalUs,
        minRttUs: k.minRttUs,
        retrans: k.retrans,
        taskNum: k.taskNum,
        serviceUs: k.serviceUs,
        receiveUs: k.receiveUs,
        bytesReceived: k.bytesReceived,
        reorder: k.reorder,
        mss: k.mss,
      };
  }
}
