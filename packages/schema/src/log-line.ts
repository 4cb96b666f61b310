import {
  MAX_FIRST_FRAME_STEPS,
  tcprtRecordSchema,
  type Endpoint,
  type FirstFrameStep,
  type RecordType,
  type RRecord,
  type TcprtRecord,
} from './records';
import { AsciiWriter } from './ascii-writer';
import { LOG_FIELD_KEYS } from './record-fields';
import { parseUnsignedToken, TokenError } from './unsigned-token';

/*
 * V6/V7 log lines, byte for byte (SPEC §2):
 *   <version> <type> <sec> <usec> <peer ip:port> <local ip:port> <f1> … <fn> \n
 * Every token, the last included, is followed by one space.
 */

/** Fields 11 and 12 of every V7 R record. */
const R_V7_KEYS = ['srttUs', 'cwnd'] as const;

const HEADER_NAMES = ['version', 'type', 'startSec', 'startUsec', 'peer', 'local'] as const;

export class LogLineError extends Error {}

export function formatEndpoint({ ip, port }: Endpoint): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

const SPACE = 32;
const COLON = 58;

function writeEndpoint(out: AsciiWriter, { ip, port }: Endpoint): void {
  const v6 = ip.includes(':');
  if (v6) out.byte(91); // [
  out.text(ip);
  if (v6) out.byte(93); // ]
  out.byte(COLON);
  out.number(port);
}

/**
 * Appends one log line, ending in " \n", to `out`. Expects a record that passes
 * `tcprtRecordSchema`. Every token, the last included, is followed by one space.
 */
export function writeLogLine(out: AsciiWriter, record: TcprtRecord): void {
  out.text(record.version);
  out.byte(SPACE);
  out.text(record.type);
  if (record.type === 'R' && record.extensions) {
    out.byte(46); // .
    out.text(record.extensions);
  }
  out.byte(SPACE);
  out.number(record.startSec);
  out.byte(SPACE);
  out.number(record.startUsec);
  out.byte(SPACE);
  writeEndpoint(out, record.peer);
  out.byte(SPACE);
  writeEndpoint(out, record.local);
  out.byte(SPACE);
  const fields = record as unknown as Record<string, number>;
  for (const key of LOG_FIELD_KEYS[record.type]) {
    out.number(fields[key]!);
    out.byte(SPACE);
  }
  if (record.type === 'R' && record.version === 'V7') {
    for (const key of R_V7_KEYS) {
      out.number(record[key] ?? 0);
      out.byte(SPACE);
    }
    if (record.handshakeUs !== undefined) {
      out.number(record.handshakeUs);
      out.byte(SPACE);
    }
    for (const step of record.firstFrame ?? []) {
      out.number(step.bytes);
      out.byte(COLON);
      out.number(step.us);
      out.byte(SPACE);
    }
  }
  out.byte(10); // \n
}

const lineWriter = new AsciiWriter(256);

/** One log line, ending in " \n", as a string: writeLogLine's bytes. */
export function formatLogLine(record: TcprtRecord): string {
  lineWriter.length = 0;
  writeLogLine(lineWriter, record);
  return lineWriter.toString();
}

function parseEndpoint(token: string, name: string): Endpoint {
  const match = /^(?:\[([^\]]*)\]|([^:[\]]*)):(.*)$/.exec(token);
  if (!match) throw new LogLineError(`${name}: expected ip:port or [ipv6]:port: "${token}"`);
  const ip = match[1] ?? match[2] ?? '';
  if (match[1] !== undefined && !ip.includes(':'))
    throw new LogLineError(`${name}: only IPv6 addresses are bracketed: "${token}"`);
  return { ip, port: parseUnsignedToken(match[3] ?? '', `${name} port`) };
}

/** Field 13 of a TLS 1.3 R.H record (plain integer) and the R.F `bytes:µs` tokens that follow. */
function parseRExtensionTokens(
  tokens: string[],
  firstField: number,
  extensions: string,
): Partial<RRecord> {
  const extra: Partial<RRecord> = {};
  let i = 0;
  if (extensions.includes('H') && tokens[0] !== undefined && !tokens[0].includes(':')) {
    extra.handshakeUs = parseUnsignedToken(tokens[0], `field ${firstField} (handshakeUs)`);
    i = 1;
  }
  if (extensions.includes('F')) {
    const steps: FirstFrameStep[] = [];
    for (; i < tokens.length && steps.length < MAX_FIRST_FRAME_STEPS; i++) {
      const name = `field ${firstField + i} (firstFrame[${steps.length}])`;
      const [bytes, us, ...rest] = (tokens[i] ?? '').split(':');
      if (bytes === undefined || us === undefined || rest.length > 0) {
        throw new LogLineError(`${name}: expected bytes:us: "${tokens[i]}"`);
      }
      steps.push({
        bytes: parseUnsignedToken(bytes, `${name} bytes`),
        us: parseUnsignedToken(us, `${name} us`),
      });
    }
    extra.firstFrame = steps;
  }
  if (i < tokens.length)
    throw new LogLineError(`field ${firstField + i}: unexpected extra field: "${tokens[i]}"`);
  return extra;
}

function parseType(token: string, version: string): { type: RecordType; extensions?: string } {
  const match = /^(?:([WNEP])|R(?:\.([A-Z]+))?)$/.exec(token);
  if (!match) throw new LogLineError(`type: expected R, R.<extensions>, W, N, E or P: "${token}"`);
  if (match[1]) return { type: match[1] as RecordType };
  if (version === 'V6') {
    if (match[2] !== undefined)
      throw new LogLineError(`type: extensions only exist in V7 records: "${token}"`);
    return { type: 'R' };
  }
  return { type: 'R', extensions: match[2] ?? '' };
}

function parseTokens(tokens: string[]): TcprtRecord {
  if (tokens.length < HEADER_NAMES.length) {
    throw new LogLineError(
      `${HEADER_NAMES[tokens.length]}: missing (line has only ${tokens.length} tokens)`,
    );
  }
  const [version = '', typeText = '', sec = '', usec = '', peer = '', local = ''] = tokens;
  if (version !== 'V6' && version !== 'V7')
    throw new LogLineError(`version: expected V6 or V7: "${version}"`);
  const { type, extensions } = parseType(typeText, version);
  const record: Record<string, unknown> = {
    type,
    version,
    startSec: parseUnsignedToken(sec, 'startSec'),
    startUsec: parseUnsignedToken(usec, 'startUsec'),
    peer: parseEndpoint(peer, 'peer'),
    local: parseEndpoint(local, 'local'),
  };
  const fieldTokens = tokens.slice(HEADER_NAMES.length);
  const keys: readonly string[] =
    type === 'R' && version === 'V7' ? [...LOG_FIELD_KEYS.R, ...R_V7_KEYS] : LOG_FIELD_KEYS[type];
  keys.forEach((key, i) => {
    const token = fieldTokens[i];
    if (token === undefined) throw new LogLineError(`field ${i + 1} (${key}): missing`);
    record[key] = parseUnsignedToken(token, `field ${i + 1} (${key})`);
  });
  if (extensions !== undefined) {
    record.extensions = extensions;
    Object.assign(
      record,
      parseRExtensionTokens(fieldTokens.slice(keys.length), keys.length + 1, extensions),
    );
  } else if (fieldTokens.length > keys.length) {
    throw new LogLineError(
      `field ${keys.length + 1}: unexpected extra field: "${fieldTokens[keys.length]}"`,
    );
  }
  return validateRecord(record, keys);
}

/** Range and cross-field checks the token parser does not make (reorder 0/1, usec, IPs, extensions). */
function validateRecord(record: Record<string, unknown>, keys: readonly string[]): TcprtRecord {
  const result = tcprtRecordSchema.safeParse(record);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const [head] = issue.path;
  const fieldIndex = keys.indexOf(String(head));
  const name =
    fieldIndex >= 0
      ? `field ${fieldIndex + 1} (${String(head)})`
      : head === 'extensions'
        ? 'type'
        : issue.path.join('.');
  throw new LogLineError(`${name}: ${issue.message}`);
}

/**
 * Parses one log line. The final "\n" may be left off (lines split from a file), the space after
 * the last field may not. Throws LogLineError naming the offending field.
 */
export function parseLogLine(line: string): TcprtRecord {
  const body = line.endsWith('\n') ? line.slice(0, -1) : line;
  if (!body.endsWith(' '))
    throw new LogLineError('line must end with a space after the last field');
  const tokens = body.slice(0, -1).split(' ');
  const empty = tokens.indexOf('');
  if (empty >= 0)
    throw new LogLineError(`token ${empty + 1}: empty (fields are separated by exactly one space)`);
  try {
    return parseTokens(tokens);
  } catch (err) {
    if (err instanceof TokenError) throw new LogLineError(err.message);
    throw err;
  }
}
