import { UsageError } from './command';

type FlagKind = 'string' | 'boolean';

/**
 * `--name value`, `--name=value` and boolean `--name`; everything else is positional. Unknown
 * flags and missing values are usage errors.
 */
export function parseFlags<S extends Record<string, FlagKind>>(
  args: string[],
  spec: S,
): {
  flags: { [K in keyof S]?: S[K] extends 'boolean' ? boolean : string };
  positionals: string[];
} {
  const flags: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown option '--${name}'`);
    if (kind === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
    flags[name] = value;
  }
  return { flags: flags as never, positionals };
}

/** A whole number within [min, max] given on the command line. */
export function parseIntFlag(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number ${min}..${max}, got '${value}'`);
  return n;
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `--retention-size 512M`: bytes, with an optional K, M or G (binary) suffix, within [min, max]. */
export function parseSizeFlag(name: string, value: string, min: number, max: number): number {
  const match = /^(\d+)([kmg]?)(?:i?b)?$/i.exec(value);
  const n = match ? Number(match[1]) * (SIZE_UNITS[(match[2] ?? '').toLowerCase()] ?? 1) : NaN;
  if (!(n >= min && n <= max))
    throw new UsageError(
      `--${name} must be a size ${min}..${max} bytes (e.g. 512M, 2G), got '${value}'`,
    );
  return n;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since 15m` (ago), `--since 2026-01-01T10:00:00Z` or epoch milliseconds → epoch ms. */
export function parseTimeFlag(name: string, value: string, nowMs = Date.now()): number {
  const relative = /^(\d+)([smhd])$/.exec(value);
  if (relative) return nowMs - Number(relative[1]) * (UNIT_MS[relative[2] ?? 's'] ?? 1000);
  if (/^\d{12,}$/.test(value)) return Number(value);
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed))
    throw new UsageError(
      `--${name}: expected e.g. 15m, 2h, 1d, an ISO time or epoch ms, got '${value}'`,
    );
  return parsed;
}

/** What `--since`/`--until` cover when not given: the last 15 minutes. */
const DEFAULT_WINDOW_MS = 900_000;

/** The flags of a command about one port over a window, and their usage line for the window. */
export const PORT_WINDOW_FLAGS = {
  port: 'string',
  since: 'string',
  until: 'string',
  json: 'boolean',
} as const;
export const WINDOW_USAGE =
  '  --since/--until T  15m, 2h, 1d (ago), an ISO time or epoch ms (default: the last 15 minutes)';

/** `port`, `fromMs` and `toMs` of `--port N --since T --until T` (default: the last 15 minutes). */
export function portWindowQuery(
  flags: { port?: string | undefined; since?: string | undefined; until?: string | undefined },
  nowMs = Date.now(),
): URLSearchParams {
  if (!flags.port) throw new UsageError('--port N is required');
  return new URLSearchParams({
    port: String(parseIntFlag('port', flags.port, 1, 65535)),
    fromMs: String(
      flags.since ? parseTimeFlag('since', flags.since, nowMs) : nowMs - DEFAULT_WINDOW_MS,
    ),
    toMs: String(flags.until ? parseTimeFlag('until', flags.until, nowMs) : nowMs),
  });
}
