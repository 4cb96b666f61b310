import { describe, expect, it } from 'vitest';
import { writeField } from '@tcprt/testkit/abi-buffer';
import {
  CLOSE_EVENT_CODES,
  CLOSE_LAYOUT,
  CLOSE_PHASE_CODES,
  CONFIG_ACK_LAYOUT,
  DOWNLOAD_LAYOUT,
  FIRST_FRAME_LAYOUT,
  FRAME_HEADER_LAYOUT,
  FrameType,
  HEALTH_LAYOUT,
  HTTP_LAYOUT,
  HTTP_METHOD_CODES,
  PORT_MODE_CODES,
  PROTOCOL_END_BITS,
  RECORD_LAYOUT,
  RECORD_VERSION,
  SIDE_CODES,
  STREAM_HEADER_LAYOUT,
  STREAM_MAGIC,
  STREAM_VERSION,
} from './abi';
import { FrameDecoder, FrameStreamError } from './frames';

// Buffers laid out after struct tcprt_record / tcprt_health / tcprt_config_ack through the
// decoder's layout table (abi.ts), which abi-layout.test.ts holds to tcprt.h.
const R = RECORD_LAYOUT.fields;

function streamHeader(streamVersion = STREAM_VERSION, recordVersion = RECORD_VERSION): Buffer {
  const { fields } = STREAM_HEADER_LAYOUT;
  const b = Buffer.alloc(STREAM_HEADER_LAYOUT.size);
  writeField(b, fields.magic, STREAM_MAGIC);
  writeField(b, fields.stream_version, streamVersion);
  writeField(b, fields.record_version, recordVersion);
  return b;
}

function frame(type: number, payload: Buffer): Buffer {
  const { fields } = FRAME_HEADER_LAYOUT;
  const header = Buffer.alloc(FRAME_HEADER_LAYOUT.size);
  writeField(header, fields.type, type);
  writeField(header, fields.length, payload.length);
  return Buffer.concat([header, payload]);
}

function recordPayload(): Buffer {
  const b = Buffer.alloc(RECORD_LAYOUT.size);
  writeField(b, R.version, RECORD_VERSION);
  writeField(b, R.type, 'R'.charCodeAt(0));
  writeField(b, R.family, 6);
  writeField(b, R.side, SIDE_CODES.local);
  writeField(b, R.mode, PORT_MODE_CODES.http);
  writeField(b, R.reorder, 1);
  writeField(b, R.local_port, 8080);
  writeField(b, R.remote_port, 50123);
  writeField(b, R.task_num, 7);
  writeField(
    b,
    R.local_addr,
    Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
  );
  writeField(
    b,
    R.remote_addr,
    Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 2]),
  );
  writeField(b, R.start_ns, 123_456_789_012n);
  writeField(b, R.bytes_sent, 1000);
  writeField(b, R.bytes_received, 12);
  writeField(b, R.bytes_unacked, 0);
  writeField(b, R.total_us, 205_000);
  writeField(b, R.process_us, 200_100);
  writeField(b, R.upload_us, 4_000);
  writeField(b, R.service_us, 0);
  writeField(b, R.receive_us, 0);
  writeField(b, R.min_rtt_us, 4294967295);
  writeField(b, R.retrans, 3);
  writeField(b, R.mss, 65483);
  writeField(b, R.srtt_us, 40);
  writeField(b, R.cwnd, 10);
  writeField(b, R.extensions, 0b11000); // extensions H and F
  writeField(b, R.handshake_timed, 1);
  writeField(b, R.handshake_us, 2_345);
  [
    [100, 90, 260],
    [0, 0, 0],
    [2000, 150, 65_796],
    [20_000, 0, 0],
  ].forEach(([step, us, bytes], i) => {
    const slot = R.first_frame.offset + i * FIRST_FRAME_LAYOUT.size;
    writeField(b, FIRST_FRAME_LAYOUT.fields.step_bytes, step!, slot);
    writeField(b, FIRST_FRAME_LAYOUT.fields.us, us!, slot);
    writeField(b, FIRST_FRAME_LAYOUT.fields.bytes, bytes!, slot);
  });
  const download = R.download.offset;
  writeField(b, DOWNLOAD_LAYOUT.fields.busy_us, 2_400_000, download);
  writeField(b, DOWNLOAD_LAYOUT.fields.rwnd_limited_us, 2_040_000, download);
  writeField(b, DOWNLOAD_LAYOUT.fields.sndbuf_limited_us, 8_000, download);
  writeField(b, DOWNLOAD_LAYOUT.fields.measured, 1, download);
  writeHttp(b, { method: HTTP_METHOD_CODES.GET, path: '/users/42', truncated: 0, status: 503 });
  return b;
}

/** Sets a record payload's struct tcprt_http, the path zero-padded as the kernel leaves it. */
function writeHttp(
  b: Buffer,
  http: { method: number; path: string; truncated: number; status: number },
): void {
  const H = HTTP_LAYOUT.fields;
  const at = R.http.offset;
  b.fill(0, at, at + HTTP_LAYOUT.size);
  writeField(b, H.method, http.method, at);
  writeField(b, H.path_len, http.path.length, at);
  writeField(b, H.path_truncated, http.truncated, at);
  writeField(b, H.status, http.status, at);
  writeField(b, H.path, http.path, at);
}

/** An E record whose close detail is set: a peer FIN while the server processed, after our close_notify. */
function closingPayload(): Buffer {
  const b = recordPayload();
  b.fill(0, R.extensions.offset);
  writeField(b, R.type, 'E'.charCodeAt(0));
  const close = R.close.offset;
  writeField(b, CLOSE_LAYOUT.fields.first, CLOSE_EVENT_CODES.fin_received, close);
  writeField(b, CLOSE_LAYOUT.fields.reset, CLOSE_EVENT_CODES.rst_sent, close);
  writeField(b, CLOSE_LAYOUT.fields.phase, CLOSE_PHASE_CODES.processing, close);
  writeField(b, CLOSE_LAYOUT.fields.protocol_end, PROTOCOL_END_BITS.tls_close_notify_sent, close);
  writeField(b, CLOSE_LAYOUT.fields.phase_us, 100_250, close);
  return b;
}

function healthPayload(): Buffer {
  const H = HEALTH_LAYOUT.fields;
  const b = Buffer.alloc(HEALTH_LAYOUT.size);
  writeField(b, H.realtime_minus_monotonic_ns, 1_700_000_000_000_000_000n);
  writeField(b, H.lost_ringbuf_full, 5);
  writeField(b, H.lost_storage_alloc, 2);
  writeField(b, H.conns_tracked, 40);
  writeField(b, H.records_written, 300);
  writeField(b, H.attached_hooks, 0b101);
  writeField(b, H.active, 1);
  writeField(b, H.generation, 1);
  writeField(b, H.port_rules, 3);
  writeField(b, H.range_rules, 2);
  writeField(b, H.ring_path, 1);
  return b;
}

function ackPayload(id: number, error: number, message: string): Buffer {
  const A = CONFIG_ACK_LAYOUT.fields;
  const b = Buffer.alloc(CONFIG_ACK_LAYOUT.size);
  writeField(b, A.id, id);
  writeField(b, A.error, error);
  writeField(b, A.message, message);
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
      close: null,
      download: { busyUs: 2_400_000, rwndLimitedUs: 2_040_000, sndbufLimitedUs: 8_000 },
      http: { method: 'GET', path: '/users/42', pathTruncated: false, status: 503 },
    });
  });

  it('decodes the HTTP exchange of R and W records, and none where the kernel saw no request line', () => {
    const decode = (
      type: string,
      http: { method: number; path: string; truncated: number; status: number },
    ) => {
      const payload = recordPayload();
      writeField(payload, R.type, type.charCodeAt(0));
      writeHttp(payload, http);
      const [f] = new FrameDecoder().push(
        Buffer.concat([streamHeader(), frame(FrameType.record, payload)]),
      );
      if (f?.kind !== 'record') throw new Error(`expected a record, got ${f?.kind}`);
      return f.record.http;
    };
    const longPath = `/${'p'.repeat(HTTP_LAYOUT.fields.path.size - 1)}`;
    const { OTHER, POST, TRACE } = HTTP_METHOD_CODES;
    expect(decode('W', { method: POST, path: longPath, truncated: 1, status: 0 })).toEqual({
      method: 'POST',
      path: longPath,
      pathTruncated: true,
      status: null,
    });
    expect(decode('R', { method: OTHER, path: '', truncated: 0, status: 400 })).toEqual({
      method: 'OTHER',
      path: '',
      pathTruncated: false,
      status: 400,
    });
    expect(decode('R', { method: TRACE, path: '*', truncated: 0, status: 99 })?.status).toBeNull();
    expect(decode('R', { method: 0, path: '/x', truncated: 0, status: 200 })).toBeNull();
    expect(decode('R', { method: 77, path: '/x', truncated: 0, status: 200 })).toBeNull();
    for (const type of ['N', 'E', 'P'])
      expect(
        decode(type, { method: POST, path: '/x', truncated: 0, status: 200 }),
        type,
      ).toBeNull();
  });

  it('decodes the close detail of an E record', () => {
    const [f] = new FrameDecoder().push(
      Buffer.concat([streamHeader(), frame(FrameType.record, closingPayload())]),
    );
    if (f?.kind !== 'record') throw new Error(`expected a record, got ${f?.kind}`);
    expect(f.record.type).toBe('E');
    expect(f.record.download).toBeNull();
    expect(f.record.close).toEqual({
      first: 'fin_received',
      abort: 'rst_sent',
      phase: 'processing',
      phaseUs: 100_250,
      protocolEnds: ['tls_close_notify_sent'],
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
    ).toThrow(`payload of 100 bytes, expected ${RECORD_LAYOUT.size}`);
    const huge = Buffer.alloc(FRAME_HEADER_LAYOUT.size);
    writeField(huge, FRAME_HEADER_LAYOUT.fields.type, FrameType.record);
    writeField(huge, FRAME_HEADER_LAYOUT.fields.length, 1 << 30);
    expect(() => new FrameDecoder().push(Buffer.concat([streamHeader(), huge]))).toThrow(
      /stream corrupt/,
    );
  });

  it('decodes u64 counters above 2^32 exactly and rejects those beyond 2^53 − 1', () => {
    const decodeBytesSent = (value: bigint) => {
      const payload = recordPayload();
      writeField(payload, R.bytes_sent, value);
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
    const cases = [
      [R.type, 'X'.charCodeAt(0), /unknown record type/],
      [R.family, 5, /unknown address family/],
      [R.mode, 9, /unknown port mode/],
    ] as const;
    for (const [field, value, message] of cases) {
      const payload = recordPayload();
      writeField(payload, field, value);
      expect(() =>
        new FrameDecoder().push(Buffer.concat([streamHeader(), frame(FrameType.record, payload)])),
      ).toThrow(message);
    }
  });
});
