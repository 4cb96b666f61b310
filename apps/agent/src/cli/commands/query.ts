import { RECORD_TYPES, recordSortSchema, type RecordsPage } from '@tcprt/schema';
import { callAgent } from '../agent-client';
import { UsageError, type CliCommand } from '../command';
import { parseFlags, parseIntFlag, parseTimeFlag } from '../flags';
import { CLIENT_FLAGS, CLIENT_USAGE, endpointFrom } from './client-flags';

const PAGE = 1000;

/** Minimum-time flags and the API filters they set. */
const MINIMUMS = [
  ['min-total-us', 'minTotalUs'],
  ['min-upload-us', 'minUploadUs'],
  ['min-process-us', 'minProcessUs'],
  ['min-download-us', 'minDownloadUs'],
] as const;

export const queryCommand: CliCommand = {
  name: 'query',
  summary: 'historical records from the running agent, as log lines (or JSON)',
  usage: [
    'usage: tcprt query [--port N] [--peer-port N] [--since T] [--until T] [--kind R,W,...]',
    '                   [--min-total-us N] [--min-upload-us N] [--min-process-us N] [--min-download-us N]',
    '                   [--method M] [--route R] [--status N]',
    '                   [--sort time|total|upload|process|download] [--desc|--asc] [--limit N] [--json]',
    '  --port N           local port      --peer-port N   remote port',
    '  --since/--until T  15m, 2h, 1d (ago), an ISO time or epoch ms (default: everything)',
    `  --kind K,...       record kinds among ${RECORD_TYPES.join(', ')}`,
    '  --min-*-us N       only tasks whose total / upload / process / download time is at least N µs',
    '  --method M         only tasks whose HTTP request had method M (GET, POST, ...; http ports)',
    "  --route R          only tasks grouped into route R, as 'tcprt endpoints' lists it ('/users/{n}')",
    '  --status N         only tasks answered with HTTP status N',
    '  --sort S           order by start time (default, newest first) or by a time (smallest first;',
    '                     with --desc the slowest first)',
    '  --desc / --asc     largest (newest) first / smallest (oldest) first',
    '  --limit N          at most N records (default 1000)',
    '  --json             one JSON object per line instead of log lines',
    CLIENT_USAGE,
  ].join('\n'),
  async run(args) {
    const { flags, positionals } = parseFlags(args, {
      ...CLIENT_FLAGS,
      port: 'string',
      'peer-port': 'string',
      since: 'string',
      until: 'string',
      kind: 'string',
      'min-total-us': 'string',
      'min-upload-us': 'string',
      'min-process-us': 'string',
      'min-download-us': 'string',
      method: 'string',
      route: 'string',
      status: 'string',
      sort: 'string',
      desc: 'boolean',
      asc: 'boolean',
      limit: 'string',
      json: 'boolean',
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if (flags.desc && flags.asc) throw new UsageError('give --desc or --asc, not both');
    const sort = recordSortSchema.safeParse(flags.sort ?? 'time');
    if (!sort.success)
      throw new UsageError(
        `--sort: expected one of ${recordSortSchema.options.join(', ')}, got '${flags.sort}'`,
      );
    // Newest first by default; a duration sort reads smallest first unless --desc asks for the slowest.
    const descending = flags.desc || (!flags.asc && sort.data === 'time');
    const params = new URLSearchParams({ sort: sort.data, order: descending ? 'desc' : 'asc' });
    if (flags.port) params.set('localPort', String(parseIntFlag('port', flags.port, 1, 65535)));
    if (flags['peer-port'])
      params.set('peerPort', String(parseIntFlag('peer-port', flags['peer-port'], 1, 65535)));
    if (flags.since) params.set('fromMs', String(parseTimeFlag('since', flags.since)));
    if (flags.until) params.set('toMs', String(parseTimeFlag('until', flags.until)));
    if (flags.kind) params.set('kinds', flags.kind.toUpperCase());
    for (const [flag, filter] of MINIMUMS) {
      const value = flags[flag];
      if (value) params.set(filter, String(parseIntFlag(flag, value, 0, 86_400_000_000)));
    }
    if (flags.method) params.set('method', flags.method.toUpperCase());
    if (flags.route) params.set('route', flags.route);
    if (flags.status) params.set('status', String(parseIntFlag('status', flags.status, 100, 999)));
    let remaining = flags.limit ? parseIntFlag('limit', flags.limit, 1, 10_000_000) : 1000;
    const endpoint = endpointFrom(flags);
    try {
      let cursor: string | null = null;
      do {
        params.set('limit', String(Math.min(PAGE, remaining)));
        if (cursor) params.set('cursor', cursor);
        const page: RecordsPage = await callAgent<RecordsPage>(
          endpoint,
          'GET',
          `/api/records?${params.toString()}`,
        );
        for (const r of page.items)
          process.stdout.write(flags.json ? `${JSON.stringify(r)}\n` : r.line);
        remaining -= page.items.length;
        cursor = page.nextCursor;
      } while (cursor && remaining > 0);
    } catch (err) {
      console.error(`tcprt query: ${(err as Error).message}`);
      return 1;
    }
    return 0;
  },
};
