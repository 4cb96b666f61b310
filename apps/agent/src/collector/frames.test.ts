import { describe, expect, it } from 'vitest';
import {
  CONFIG_ACK_BYTES,
  FrameDecoder,
  FrameStreamError,
  FrameType,
  HEALTH_BYTES,
  RECORD_BYTES,
  RECORD_VERSION,
  STREAM_VERSION,
} from './frames';

// Buffers laid out by hand after struct tcprt_record / tcprt_health / tcprt_config_ack (tcprt.h).

function streamHeader(streamVersion = STREAM_VERSION, recordVersion = RECORD_VERSION): Buffer {
  const b = Buffer.alloc(8);
  b.write('TCRT', 0, 'latin1');
  b.writeUInt16LE(streamVersion, 4);
  b.writeUInt16LE(recordVersion, 6);
  return b;
}

function frame(type: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16LE(type, 0);
  header.writeUInt32LE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

function recordPayload(): Buffer {
  const b = Buffer.alloc(RECORD_BYTES);
  b.writeUInt16LE(RECORD_VERSION, 0);
  b.writeUInt8('R'.charCodeAt(0), 2);
  b.writeUInt8(6, 3); // family
  b.writeUInt8(0, 4); // local side
  b.writeUInt8(1, 5); // http
  b.writeUInt8(1, 6); // reorder
  b.writeUInt16LE(8080, 8);
  b.writeUInt16LE(50123, 10);
  b.writeUInt32LE(7, 12);
  Buffer.from([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]).copy(b, 16);
  Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 2]).copy(b, 32);
  b.writeBigUInt64LE(123_456_789_012n, 48);
  [1000, 12, 0, 205_000, 200_100, 4_000, 0, 0].forEach((v, i) =>
    b.writeBigUInt64LE(BigInt(v), 56 + 8 * i),
  );
  [4294967295, 3, 65483, 40, 10].forEach((v, i) => b.writeUInt32LE(v, 120 + 4 * i));
  b.writeUInt8(0b11000, 140); // extensions H and F
  b.writeUInt8(1, 141); // handshake_us is set
  b.writeUInt32LE(2_345, 144);
  [
    [100, 90, 260],
    [0, 0, 0],
    [2000, 150, 65_796],
    [20_000, 0, 0],
  ].forEach(([step, us, bytes], i) => {
    b.writeUInt32LE(step!, 152 + 16 * i);
    b.writeUInt32LE(us!, 156 + 16 * i);
    b.writeBigUInt64LE(BigInt(bytes!), 160 + 16 * i);
  });
  return b;
}

function healthPayload(): Buffer {
  const b = Buffer.alloc(HEALTH_BYTES);
  b.writeBigInt64LE(1_700_000_000_000_000_000n, 0);
  [5, 2, 40, 300].forEach((v, i) => b.writeBigUInt64LE(BigInt(v), 8 + 8 * i));
  b.writeUInt32LE(0b101, 40);
  b.writeUInt32LE(1, 44);
  b.writeUInt32LE(1, 48);
  b.writeUInt32LE(3, 52);
  b.writeUInt32LE(2, 56);
  b.writeUInt32LE(1, 60);
  return b;
}

function ackPayload(id: number, error: number, message: string): Buffer {
  const b = Buffer.alloc(CONFIG_ACK_BYTES);
  b.writeUInt32LE(id, 0);
  b.writeInt32LE(error, 4);
  b.write(message, 8, 'utf8');
  return b;
}

describe('FrameDecoder', () => {
  it('decodes every field of a record frame', () => {
    const frames = new FrameDecoder().push(
      Buffer.concat([streamHeader(), frame(FrameType.record, recordPayload())]),
    );
    expect(frames).toHaveLength(1);
    const f = frames[0];
    if (f?.kind !== 'record') throw new Error(`expected a record, got ${f?.kind}`);
    expect(f.record).toEqual({
      type: 'R',
      family: 6,
      peerSide: false,
      mode: 'http',
      reorder: 1,
      localPort: 8080,
      remotePort: 50123,
      taskNum: 7,
      localAddr: Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
      remoteAddr: Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 2]),
      startMonotonicNs: 123_456_789_012n,
      bytesSent: 1000,
      bytesReceived: 12,
      bytesUnacked: 0,
      totalUs: 205_000,
      processUs: 200_100,
      uploadUs: 4_000,
      serviceUs: 0,
      receiveUs: 0,
      minRttUs: 4294967295,
      retrans: 3,
      mss: 65483,
      srttUs: 40,
      cwnd: 10,
      extensionBits: 0b11000,
      handshakeUs: 2_345,
      firstFrame: [
        { stepBytes: 100, us: 90, bytes: 260 },
        { stepBytes: 0, us: 0, bytes: 0 },
        { stepBytes: 2000, us: 150, bytes: 65_796 },
        { stepBytes: 20_000, us: 0, bytes: 0 },
      ],
    });
  });

  it('decodes health and config-ack frames', () => {
    const frames = new FrameDecoder().push(
      Buffer.concat([
        streamHeader(),
        frame(FrameType.health, healthPayload()),
        frame(FrameType.configAck, ackPayload(4, -22, "bad rule 'X1'")),
      ]),
    );
    expect(frames).toEqual([
      {
        kind: 'health',
        health: {
          realtimeMinusMonotonicNs: 1_700_000_000_000_000_000n,
          lostRingbufFull: 5,
          lostStorageAlloc: 2,
          connsTracked: 40,
          recordsWritten: 300,
          attachedHooks: ['sockops', 'tp_btf/tcp_probe'],
          active: true,
          generation: 1,
          portRules: 3,
          rangeRules: 2,
          ringPath: 'direct',
        },
      },
      { kind: 'configAck', ack: { id: 4, error: -22, message: "bad rule 'X1'" } },
    ]);
  });

  it('reassembles frames split at every byte boundary', () => {
    const stream = Buffer.concat([
      streamHeader(),
      frame(FrameType.health, healthPayload()),
      frame(FrameType.record, recordPayload()),
    ]);
    const decoder = new FrameDecoder();
    const kinds = [...stream].flatMap((byte) =>
      decoder.push(Buffer.from([byte])).map((f) => f.kind),
    );
    expect(kinds).toEqual(['health', 'record']);
  });

  it('skips frame types it does not know', () => {
    const frames = new FrameDecoder().push(
      Buffer.concat([
        streamHeader(),
        frame(99, Buffer.from('future')),
        frame(FrameType.configAck, ackPayload(1, 0, '')),
      ]),
    );
    expect(frames.map((f) => f.kind)).toEqual(['configAck']);
  });

  it('rejects a stream that is not a tcprt stream', () => {
    expect(() => new FrameDecoder().push(Buffer.from('HTTP/1.1 200 OK\r\n'))).toThrow(
      /not a tcprt collector stream/,
    );
  });

  it('rejects other stream and record versions, saying to rebuild', () => {
    expect(() => new FrameDecoder().push(streamHeader(STREAM_VERSION + 1))).toThrow(
      /rebuild packages\/bpf/,
    );
    expect(() => new FrameDecoder().push(streamHeader(STREAM_VERSION, RECORD_VERSION + 1))).toThrow(
      FrameStreamError,
    );
  });

  it('rejects a known frame with the wrong size and an absurd frame length', () => {
    expect(() =>
      new FrameDecoder().push(
        Buffer.concat([streamHeader(), frame(FrameType.record, Buffer.alloc(100))]),
      ),
    ).toThrow(/payload of 100 bytes, expected 216/);
    const huge = Buffer.alloc(8);
    huge.writeUInt16LE(FrameType.record, 0);
    huge.writeUInt32LE(1 << 30, 4);
    expect(() => new FrameDecoder().push(Buffer.concat([streamHeader(), huge]))).toThrow(
      /stream corrupt/,
    );
  });

  it('decodes u64 counters above 2^32 exactly and rejects those beyond 2^53 − 1', () => {
    const decodeBytesSent = (value: bigint) => {
      const payload = recordPayload();
      payload.writeBigUInt64LE(value, 56);
      const [f] = new FrameDecoder().push(
        Buffer.concat([streamHeader(), frame(FrameType.record, payload)]),
      );
      if (f?.kind !== 'record') throw new Error(`expected a record, got ${f?.kind}`);
      return f.record.bytesSent;
    };
    expect(decodeBytesSent(2n ** 40n + 5n)).toBe(2 ** 40 + 5);
    expect(decodeBytesSent(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => decodeBytesSent(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toThrow(
      /bytesSent too large/,
    );
  });

  it('rejects records with unknown type, family or mode codes', () => {
    const cases: [number, number, RegExp][] = [
      [2, 'X'.charCodeAt(0), /unknown record type/],
      [3, 5, /unknown address family/],
      [5, 9, /unknown port mode/],
    ];
    for (const [offset, value, message] of cases) {
      const payload = recordPayload();
      payload.writeUInt8(value, offset);
      expect(() =>
        new FrameDecoder().push(Buffer.concat([streamHeader(), frame(FrameType.record, payload)])),
      ).toThrow(message);
    }
  });
});
