import type { ConfigView } from '@tcprt/schema';
import { readFile } from 'node:fs/promises';
import { AgentRequestError, callAgent } from '../agent-client';
import { UsageError } from '../command';
import { parseFlags } from '../flags';
import { resolveUserPath } from '../paths';
import { CLIENT_FLAGS, endpointFrom } from './client-flags';

/** `tcprt config get`: the running agent's tcprt.yaml as it is saved. */
export const configGet = {
  name: 'get',
  synopsis: '[--agent URL] [--data-dir DIR]',
  summary: "print the running agent's tcprt.yaml",
  async run(args: string[]): Promise<number> {
    const { flags, positionals } = parseFlags(args, CLIENT_FLAGS);
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    try {
      process.stdout.write(
        (await callAgent<ConfigView>(endpointFrom(flags), 'GET', '/api/config')).yaml,
      );
      return 0;
    } catch (err) {
      console.error(`tcprt config get: ${(err as Error).message}`);
      return 1;
    }
  },
};

/** `tcprt config set FILE`: validate, apply and save FILE as the running agent's config. */
export const configSet = {
  name: 'set',
  synopsis: 'FILE [--agent URL] [--data-dir DIR]',
  summary:
    'make FILE the running config (rejected with line/field errors if invalid; needs the token)',
  async run(args: string[]): Promise<number> {
    const { flags, positionals } = parseFlags(args, CLIENT_FLAGS);
    const [file, ...extra] = positionals;
    if (file === undefined || extra.length) throw new UsageError('set takes exactly one FILE');
    let yaml: string;
    try {
      yaml = await readFile(resolveUserPath(file), 'utf8');
    } catch (err) {
      console.error(`${file}: cannot read: ${(err as Error).message}`);
      return 1;
    }
    try {
      await callAgent<ConfigView>(endpointFrom(flags), 'PUT', '/api/config', { yaml });
      console.error(`tcprt config set: applied ${file}`);
      return 0;
    } catch (err) {
      const message =
        err instanceof AgentRequestError
          ? err.message.replace(/; /g, '\n  ')
          : (err as Error).message;
      console.error(`tcprt config set: ${message}`);
      return 1;
    }
  },
};
