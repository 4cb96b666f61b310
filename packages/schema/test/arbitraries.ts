import fc from 'fast-check';
import { ipFromBytes, type Endpoint, type TcprtRecord } from '../src/index';

/** Random records that satisfy tcprtRecordSchema, for round-trip properties. */

const u64 = fc.maxSafeInteger().filter((n) => n >= 0);
const u = fc.oneof(fc.nat(100), fc.nat(), u64);
const ip = fc
  .oneof(
    fc.uint8Array({ minLength: 4, maxLength: 4 }),
    fc.uint8Array({ minLength: 16, maxLength: 16 }),
    fc
      .uint8Array({ minLength: 4, maxLength: 4 })
      .map((v4) => Uint8Array.from([...Array<number>(10).fill(0), 0xff, 0xff, ...v4])),
  )
  .map((bytes) => ipFromBytes(bytes));
const endpoint: fc.Arbitrary<Endpoint> = fc.record({
  ip,
  port: fc.integer({ min: 0, max: 65535 }),
});
const header = {
  version: fc.constantFrom('V6' as const, 'V7' as const),
  startSec: u,
  startUsec: fc.integer({ min: 0, max: 999_999 }),
  peer: endpoint,
  local: endpoint,
};
const reorder = fc.constantFrom(0 as const, 1 as const);
const rCore = {
  bytesSent: u,
  totalUs: u,
  minRttUs: u,
  retrans: u,
  taskNum: u,
  processUs: u,
  uploadUs: u,
  bytesReceived: u,
  reorder,
  mss: u,
};
const extensions = fc.subarray(['C', 'Z', 'A', 'H', 'F']).map((letters) => letters.join(''));

const rRecord = fc.record({ type: fc.constant('R' as const), ...header, ...rCore }).chain((r) => {
  if (r.version === 'V6') return fc.constant(r);
  return fc
    .record({
      srttUs: u,
      cwnd: u,
      extensions,
      handshakeUs: fc.option(u, { nil: undefined }),
      steps: fc.array(fc.record({ bytes: u, us: u }), { maxLength: 4 }),
    })
    .map(({ handshakeUs, steps, ...v7 }) => ({
      ...r,
      ...v7,
      ...(v7.extensions.includes('H') && handshakeUs !== undefined ? { handshakeUs } : {}),
      ...(v7.extensions.includes('F') ? { firstFrame: steps } : {}),
    }));
});

export const recordArbitrary: fc.Arbitrary<TcprtRecord> = fc.oneof(
  rRecord,
  fc.record({
    type: fc.constant('W' as const),
    ...header,
    bytesSent: u,
    elapsedUs: u,
    minRttUs: u,
    retrans: u,
    taskNum: u,
    processUs: u,
    uploadUs: u,
    bytesUnacked: u,
    reorder,
    mss: u,
  }),
  fc.record({
    type: fc.constant('N' as const),
    ...header,
    taskNum: u,
    elapsedUs: u,
    bytesReceived: u,
    reorder,
    mss: u,
  }),
  fc.record({
    type: fc.constant('E' as const),
    ...header,
    taskNum: u,
    bytesSent: u,
    bytesUnacked: u,
    bytesReceived: u,
    retrans: u,
    minRttUs: u,
  }),
  fc.record({
    type: fc.constant('P' as const),
    ...header,
    bytesSent: u,
    totalUs: u,
    minRttUs: u,
    retrans: u,
    taskNum: u,
    serviceUs: u,
    receiveUs: u,
    bytesReceived: u,
    reorder,
    mss: u,
  }),
);
