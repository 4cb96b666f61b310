import type { Status, StoredRecord } from '@tcprt/schema';
import { setTimeout as sleep } from 'node:timers/promises';
import { callAgent } from '../agent-client';
import { UsageError, type CliCommand } from '../command';
import { parseFlags, parseIntFlag } from '../flags';
import { CLIENT_FLAGS, CLIENT_USAGE, endpointFrom } from './client-flags';

const POLL_MS = 500;

export const tailCommand: CliCommand = {
  name: 'tail',
  summary: 'print log lines live as the running agent stores them',
  usage: [
    'usage: tcprt tail [--port N]',
    "  --port N   only records of port N: the server's local port, or a peer port's P records",
    CLIENT_USAGE,
  ].join('\n'),
  async run(args) {
    const { flags, positionals } = parseFlags(args, { ...CLIENT_FLAGS, port: 'string' });
    const port = flags.port ? parseIntFlag('port', flags.port, 1, 65535) : undefined;
    const wanted = (r: StoredRecord) =>
      port === undefined || (r.kind === 'P' ? r.peerPort === port : r.localPort === port);
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const endpoint = endpointFrom(flags);
    let stopping = false;
    process.once('SIGINT', () => (stopping = true));
    process.once('SIGTERM', () => (stopping = true));
    try {
      // Start after the newest stored record: only lines written from now on.
      const status = await callAgent<Status>(endpoint, 'GET', '/api/status');
      let afterId = status.database.lastRecordId;
      while (!stopping) {
        const page = await callAgent<{ items: StoredRecord[]; lastId: number }>(
          endpoint,
          'GET',
          `/api/tail?afterId=${afterId}&limit=1000`,
        );
        for (const r of page.items) if (wanted(r)) process.stdout.write(r.line);
        afterId = page.lastId;
        if (page.items.length < 1000) await sleep(POLL_MS);
      }
    } catch (err) {
      console.error(`tcprt tail: ${(err as Error).message}`);
      return 1;
    }
    return 0;
  },
};
