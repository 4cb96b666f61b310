import type { Status } from '@tcprt/schema';
import { callAgent } from '../agent-client';
import { UsageError, type CliCommand } from '../command';
import { parseFlags } from '../flags';
import { CLIENT_FLAGS, CLIENT_USAGE, endpointFrom } from './client-flags';

function describe(s: Status): string {
  const c = s.collector;
  const hooks = Object.entries(c.support)
    .map(([hook, ok]) => `${hook}${ok ? '' : ' (missing)'}`)
    .join(', ');
  return [
    `agent       ${s.version}, up ${s.uptimeSec} s`,
    `collector   ${c.state}${c.active ? '' : ' (deactivated)'}, restarts ${c.restarts}, lost records ${c.lostRecords}`,
    `kernel      ${c.kernel}${hooks ? `; hooks: ${hooks}` : ''}`,
    ...(c.lastError ? [`last error  ${c.lastError.split('\n')[0]}`] : []),
    `config      ${s.config.path}${s.config.errors.length ? ' — LAST CHANGE REJECTED:' : ''}`,
    ...s.config.errors.map(
      (i) => `              line ${i.line ?? '-'}: ${i.path || '(file)'}: ${i.message}`,
    ),
    `database    ${s.database.path}, ${s.database.records} records, ${(s.database.sizeBytes / 1048576).toFixed(1)} MiB`,
    `ingest      ${s.recordsPerSec.toFixed(1)} records/s`,
  ].join('\n');
}

export const statusCommand: CliCommand = {
  name: 'status',
  summary: "show the running agent's health (exit 0 only when the collector runs)",
  usage: `usage: tcprt status [--json]\n${CLIENT_USAGE}`,
  async run(args) {
    const { flags, positionals } = parseFlags(args, { ...CLIENT_FLAGS, json: 'boolean' });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    let status: Status;
    try {
      status = await callAgent<Status>(endpointFrom(flags), 'GET', '/api/status');
    } catch (err) {
      console.error(`tcprt status: ${(err as Error).message}`);
      return 1;
    }
    console.log(flags.json ? JSON.stringify(status, null, 2) : describe(status));
    return status.collector.state === 'running' ? 0 : 1;
  },
};
