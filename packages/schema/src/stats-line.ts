import { z } from 'zod';
import { unsignedInt } from './records';
import { parseUnsignedToken, TokenError } from './unsigned-token';

/*
 * Per-port stats lines, byte for byte (SPEC §3):
 *   <unix_sec> all <port> <avg_total> <avg_process> <retrans‰> <avg_min_rtt> <fail‰>
 *   <avg_bytes_sent> <avg_upload> <avg_bytes_received> <count>\n
 * Local ports print as `80`, peer ports as `P3306`; no trailing space.
 *
 * Peer (P) stats reuse the same columns by field position of the P record: total = task time,
 * process = service time, upload = response receive time, bytes sent = request bytes,
 * bytes received = response bytes.
 */
export const statsLineSchema = z.object({
  timeSec: unsignedInt,
  /** true: the port is the remote port of client-side (peer mode) connections. */
  peer: z.boolean(),
  port: z.int().min(0).max(65535),
  avgTotalUs: unsignedInt,
  avgProcessUs: unsignedInt,
  retransPermille: unsignedInt,
  avgMinRttUs: unsignedInt,
  failPermille: unsignedInt,
  avgBytesSent: unsignedInt,
  avgUploadUs: unsignedInt,
  avgBytesReceived: unsignedInt,
  count: unsignedInt,
});
export type StatsLine = z.infer<typeof statsLineSchema>;

/** The numeric columns after `<unix_sec> all <port>`, in line order. */
export const STATS_VALUE_KEYS = [
  'avgTotalUs',
  'avgProcessUs',
  'retransPermille',
  'avgMinRttUs',
  'failPermille',
  'avgBytesSent',
  'avgUploadUs',
  'avgBytesReceived',
  'count',
] as const satisfies readonly (keyof StatsLine)[];

export class StatsLineError extends Error {}

export function formatStatsPort(peer: boolean, port: number): string {
  return `${peer ? 'P' : ''}${port}`;
}

export function formatStatsLine(stats: StatsLine): string {
  const values = STATS_VALUE_KEYS.map((key) => String(stats[key]));
  return `${[stats.timeSec, 'all', formatStatsPort(stats.peer, stats.port), ...values].join(' ')}\n`;
}

function parseStatsTokens(tokens: string[]): StatsLine {
  const expected = 3 + STATS_VALUE_KEYS.length;
  if (tokens.length !== expected)
    throw new StatsLineError(`expected ${expected} fields, got ${tokens.length}`);
  const [sec = '', all, portText = '', ...valueTokens] = tokens;
  if (all !== 'all') throw new StatsLineError(`field 2: expected "all": "${all}"`);
  const peer = portText.startsWith('P');
  const port = parseUnsignedToken(peer ? portText.slice(1) : portText, 'field 3 (port)');
  if (port > 65535) throw new StatsLineError(`field 3 (port): larger than 65535: "${portText}"`);
  const stats: Record<string, number | boolean> = {
    timeSec: parseUnsignedToken(sec, 'field 1 (timeSec)'),
    peer,
    port,
  };
  STATS_VALUE_KEYS.forEach((key, i) => {
    stats[key] = parseUnsignedToken(valueTokens[i] ?? '', `field ${i + 4} (${key})`);
  });
  return statsLineSchema.parse(stats);
}

/** Parses one stats line; the final "\n" may be left off. Throws StatsLineError naming the field. */
export function parseStatsLine(line: string): StatsLine {
  const body = line.endsWith('\n') ? line.slice(0, -1) : line;
  try {
    return parseStatsTokens(body.split(' '));
  } catch (err) {
    if (err instanceof TokenError) throw new StatsLineError(err.message);
    throw err;
  }
}
