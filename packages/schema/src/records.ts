import { z } from 'zod';
import { closeDetailSchema } from './close-detail';
import { downloadChronoSchema } from './download-limits';
import { httpExchangeSchema } from './http-request';
import { isIpv4MappedIpv6 } from './ip';

/*
 * The records TCP-RT writes, one per log line (SPEC §2). Field order inside each object
 * follows the line order, so a formatter can rely on it.
 *
 * Counters are u64 in the kernel. They are carried as JS numbers: values above 2^53 are not
 * expected in practice (that is 9 PB or 285 years of µs) and are rejected rather than rounded.
 */

/** Non-negative safe integer (bytes, µs, counts). */
export const unsignedInt = z.int().min(0);
/** min RTT in µs; 4294967295 means the socket had no RTT sample yet (compat). */
export const MIN_RTT_NO_SAMPLE = 4294967295;

/** Dotted IPv4 or IPv6 text. IPv4-mapped IPv6 must already be normalized to plain IPv4. */
export const ipAddress = z
  .union([z.ipv4(), z.ipv6()], { error: 'not an IPv4 or IPv6 address' })
  .refine((ip) => !isIpv4MappedIpv6(ip), {
    message: 'IPv4-mapped IPv6 address must be written as plain IPv4',
  });

export const endpointSchema = z.object({
  ip: ipAddress,
  port: z.int().min(0).max(65535, { error: 'port must be at most 65535' }),
});
export type Endpoint = z.infer<typeof endpointSchema>;

export const logVersionSchema = z.enum(['V6', 'V7']);
export type LogVersion = z.infer<typeof logVersionSchema>;

export const reorderFlag = z.literal([0, 1], { error: 'expected 0 or 1' });

/** Extension letters of a V7 R record, always in this order (SPEC §2: R.CZAHF). */
export const R_EXTENSION_ORDER = 'CZAHF';
export const rExtensionsSchema = z.string().regex(/^C?Z?A?H?F?$/, {
  message: `extension letters must be a subset of ${R_EXTENSION_ORDER} in that order`,
});

export const firstFrameStepSchema = z.object({
  /** Acknowledged response bytes when the step was reached (may exceed the step: ACKs are coarse). */
  bytes: unsignedInt,
  /** Time from T0 to that ACK. */
  us: unsignedInt,
});
export type FirstFrameStep = z.infer<typeof firstFrameStepSchema>;
export const MAX_FIRST_FRAME_STEPS = 4;

const header = {
  version: logVersionSchema,
  /** Wall-clock start of the task (T0), seconds part. */
  startSec: unsignedInt,
  startUsec: z.int().min(0).max(999_999, { error: 'microseconds must be at most 999999' }),
  peer: endpointSchema,
  local: endpointSchema,
};

/** Fields shared by R and W records, in line order, except field 2 and field 8 which differ. */
const rwFields = {
  bytesSent: unsignedInt,
  minRttUs: unsignedInt,
  retrans: unsignedInt,
  taskNum: unsignedInt,
  processUs: unsignedInt,
  uploadUs: unsignedInt,
  reorder: reorderFlag,
  mss: unsignedInt,
};

export const rRecordSchema = z
  .object({
    type: z.literal('R'),
    ...header,
    bytesSent: rwFields.bytesSent,
    totalUs: unsignedInt,
    minRttUs: rwFields.minRttUs,
    retrans: rwFields.retrans,
    taskNum: rwFields.taskNum,
    processUs: rwFields.processUs,
    uploadUs: rwFields.uploadUs,
    bytesReceived: unsignedInt,
    reorder: rwFields.reorder,
    mss: rwFields.mss,
    // V7 only (http/https mode): present on every V7 R, absent on V6.
    srttUs: unsignedInt.optional(),
    cwnd: unsignedInt.optional(),
    /** '' for a plain V7 R, else the letters after `R.` (e.g. 'AF'). */
    extensions: rExtensionsSchema.optional(),
    /** R.H of a TLS 1.3 handshake only: ClientHello received → client Finished received. */
    handshakeUs: unsignedInt.optional(),
    /** R.F only: one entry per non-zero first_frame_bytes step. */
    firstFrame: z.array(firstFrameStepSchema).max(MAX_FIRST_FRAME_STEPS).optional(),
    /** Kernel detail (any version), never in the log line: download-limits.ts. */
    download: downloadChronoSchema.optional(),
    /** Kernel detail of http-mode tasks, never in the log line: http-request.ts. */
    http: httpExchangeSchema.optional(),
  })
  .superRefine((r, ctx) => {
    const v7Fields = ['srttUs', 'cwnd', 'extensions'] as const;
    if (r.version === 'V6') {
      for (const key of [...v7Fields, 'handshakeUs', 'firstFrame'] as const) {
        if (r[key] !== undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: 'only allowed in V7 records' });
      }
      return;
    }
    for (const key of v7Fields) {
      if (r[key] === undefined)
        ctx.addIssue({ code: 'custom', path: [key], message: 'required in V7 R records' });
    }
    const ext = r.extensions ?? '';
    if (r.handshakeUs !== undefined && !ext.includes('H')) {
      ctx.addIssue({
        code: 'custom',
        path: ['handshakeUs'],
        message: "only allowed with extension 'H'",
      });
    }
    if (ext.includes('F') !== (r.firstFrame !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['firstFrame'],
        message: "present exactly when extension 'F' is",
      });
    }
  });
export type RRecord = z.infer<typeof rRecordSchema>;

/**
 * W: connection closed while the response was still being sent. No V7 fields are appended:
 * SPEC §2 defines appended fields for R records only.
 */
export const wRecordSchema = z.object({
  type: z.literal('W'),
  ...header,
  bytesSent: rwFields.bytesSent,
  elapsedUs: unsignedInt,
  minRttUs: rwFields.minRttUs,
  retrans: rwFields.retrans,
  taskNum: rwFields.taskNum,
  processUs: rwFields.processUs,
  uploadUs: rwFields.uploadUs,
  /** Bytes sent but not yet acknowledged at close. */
  bytesUnacked: unsignedInt,
  reorder: rwFields.reorder,
  mss: rwFields.mss,
  /** Kernel detail, never in the log line: download-limits.ts. */
  download: downloadChronoSchema.optional(),
  /** Kernel detail of http-mode tasks, never in the log line: http-request.ts. */
  http: httpExchangeSchema.optional(),
});
export type WRecord = z.infer<typeof wRecordSchema>;

/** N: connection closed while a request was still being received. */
export const nRecordSchema = z.object({
  type: z.literal('N'),
  ...header,
  taskNum: unsignedInt,
  elapsedUs: unsignedInt,
  /** Bytes of the unfinished request only. */
  bytesReceived: unsignedInt,
  reorder: reorderFlag,
  mss: unsignedInt,
});
export type NRecord = z.infer<typeof nRecordSchema>;

/** E: the connection closed. Header time is the start of the connection's last task. */
export const eRecordSchema = z.object({
  type: z.literal('E'),
  ...header,
  taskNum: unsignedInt,
  bytesSent: unsignedInt,
  bytesUnacked: unsignedInt,
  bytesReceived: unsignedInt,
  retrans: unsignedInt,
  minRttUs: unsignedInt,
  /** Kernel detail of how the connection ended, never in the log line: close-detail.ts. */
  close: closeDetailSchema.optional(),
});
export type ERecord = z.infer<typeof eRecordSchema>;

/** P: a client-side (peer mode) task finished. */
export const pRecordSchema = z.object({
  type: z.literal('P'),
  ...header,
  /** Request bytes sent. */
  bytesSent: unsignedInt,
  /** First request send → last response byte. */
  totalUs: unsignedInt,
  minRttUs: unsignedInt,
  retrans: unsignedInt,
  taskNum: unsignedInt,
  /** First response byte received − last request byte sent. */
  serviceUs: unsignedInt,
  /** Last response byte − first response byte. */
  receiveUs: unsignedInt,
  /** Response bytes received. */
  bytesReceived: unsignedInt,
  reorder: reorderFlag,
  mss: unsignedInt,
});
export type PRecord = z.infer<typeof pRecordSchema>;

export const tcprtRecordSchema = z.discriminatedUnion('type', [
  rRecordSchema,
  wRecordSchema,
  nRecordSchema,
  eRecordSchema,
  pRecordSchema,
]);
export type TcprtRecord = z.infer<typeof tcprtRecordSchema>;
export type RecordType = TcprtRecord['type'];
export const RECORD_TYPES = ['R', 'W', 'N', 'E', 'P'] as const satisfies readonly RecordType[];
