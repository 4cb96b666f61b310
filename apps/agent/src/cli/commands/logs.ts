import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { downloadFromAgent } from '../agent-client';
import { UsageError, type CliCommand } from '../command';
import { parseFlags, parseTimeFlag } from '../flags';
import { resolveUserPath } from '../paths';
import { CLIENT_FLAGS, CLIENT_USAGE, endpointFrom } from './client-flags';

export const logsCommand: CliCommand = {
  name: 'logs',
  summary: "download the running agent's raw log (or stats) file",
  usage: [
    'usage: tcprt logs download [--stats] [--since T] [--until T] [-o FILE | --output FILE]',
    '  --stats            the stats lines instead of the log lines',
    '  --since/--until T  15m, 2h, 1d (ago), an ISO time or epoch ms',
    '  --output FILE      write to FILE instead of standard output',
    CLIENT_USAGE,
  ].join('\n'),
  async run(args) {
    const normalized = args.map((a) => (a === '-o' ? '--output' : a));
    const { flags, positionals } = parseFlags(normalized, {
      ...CLIENT_FLAGS,
      stats: 'boolean',
      since: 'string',
      until: 'string',
      output: 'string',
    });
    if (positionals[0] !== 'download' || positionals.length > 1)
      throw new UsageError("the only action is 'download'");
    const params = new URLSearchParams();
    if (flags.since) params.set('fromMs', String(parseTimeFlag('since', flags.since)));
    if (flags.until) params.set('toMs', String(parseTimeFlag('until', flags.until)));
    const query = params.size ? `?${params.toString()}` : '';
    try {
      const res = await downloadFromAgent(
        endpointFrom(flags),
        `/api/raw/${flags.stats ? 'stats' : 'log'}${query}`,
      );
      if (!res.body) throw new Error('empty answer');
      const body = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
      await pipeline(
        body,
        flags.output ? createWriteStream(resolveUserPath(flags.output)) : process.stdout,
      );
    } catch (err) {
      console.error(`tcprt logs: ${(err as Error).message}`);
      return 1;
    }
    return 0;
  },
};
