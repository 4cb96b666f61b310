import type { Status } from '@tcprt/schema';
import { setTimeout as sleep } from 'node:timers/promises';
import { callAgent } from '../agent-client';
import { UsageError, type CliCommand } from '../command';
import { parseFlags } from '../flags';
import { CLIENT_FLAGS, CLIENT_USAGE, endpointFrom } from './client-flags';

const POLL_MS = 500;

export const tailCommand: CliCommand = {
  name: 'tail',
  summary: 'print log lines live as the running agent stores them',
  usage: `usage: tcprt tail\n${CLIENT_USAGE}`,
  async run(args) {
    const { flags, positionals } = parseFlags(args, CLIENT_FLAGS);
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
        const page = await callAgent<{ items: { line: string }[]; lastId: number }>(
          endpoint,
          'GET',
          `/api/tail?afterId=${afterId}&limit=1000`,
        );
        for (const r of page.items) process.stdout.write(r.line);
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
