import { Agent } from '../../agent';
import { formatConfigIssue } from '../../config/config-rejected-error';
import { DEFAULT_CONFIG_PATH, DEFAULT_DATA_DIR, DEFAULT_LISTEN } from '../../defaults';
import { DEFAULT_RETENTION } from '../../store/writer/retention-limits';
import { startRealCollector } from '../../supervisor/real-collector';
import { UsageError, type CliCommand } from '../command';
import { parseFlags, parseIntFlag, parseSizeFlag } from '../flags';
import { resolveUserPath } from '../paths';

function parseListen(value: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(value);
  if (!match?.[1] || !match[2]) throw new UsageError(`--listen expects HOST:PORT, got '${value}'`);
  return {
    host: match[1].replace(/^\[|\]$/g, ''),
    port: parseIntFlag('listen', match[2], 0, 65535),
  };
}

function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

export const agentCommand: CliCommand = {
  name: 'agent',
  summary: 'run the agent in the foreground (collector, history, API)',
  usage: [
    'usage: tcprt agent [--config FILE] [--data-dir DIR] [--listen HOST:PORT] [--host-name NAME,...]',
    `  --config FILE      tcprt.yaml to own (default ${DEFAULT_CONFIG_PATH}; a documented default is written if missing)`,
    `  --data-dir DIR     database, raw files and token (default ${DEFAULT_DATA_DIR})`,
    `  --listen HOST:PORT API address (default ${DEFAULT_LISTEN.host}:${DEFAULT_LISTEN.port}; off loopback every call needs the token)`,
    '  --host-name NAME,... DNS names the API answers to (Host header); IP addresses and localhost always',
    `  --retention-days N  history kept (default ${DEFAULT_RETENTION.maxAgeSec / 86_400})`,
    `  --retention-size SIZE  database and WAL at most SIZE, e.g. 512M (default ${DEFAULT_RETENTION.maxSizeBytes / 1024 ** 3}G)`,
  ].join('\n'),
  async run(args) {
    const { flags, positionals } = parseFlags(args, {
      config: 'string',
      'data-dir': 'string',
      listen: 'string',
      'host-name': 'string',
      'retention-days': 'string',
      'retention-size': 'string',
    });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const agent = await Agent.start({
      configPath: flags.config ? resolveUserPath(flags.config) : DEFAULT_CONFIG_PATH,
      dataDir: flags['data-dir'] ? resolveUserPath(flags['data-dir']) : DEFAULT_DATA_DIR,
      listen: flags.listen ? parseListen(flags.listen) : DEFAULT_LISTEN,
      startCollector: startRealCollector,
      hostNames: flags['host-name']?.split(',').filter(Boolean) ?? [],
      retention: {
        maxAgeSec: flags['retention-days']
          ? parseIntFlag('retention-days', flags['retention-days'], 1, 36_500) * 86_400
          : DEFAULT_RETENTION.maxAgeSec,
        maxSizeBytes: flags['retention-size']
          ? parseSizeFlag('retention-size', flags['retention-size'], 1024 ** 2, 2 ** 50)
          : DEFAULT_RETENTION.maxSizeBytes,
      },
    });
    const status = agent.status();
    console.error(
      `tcprt agent: listening on ${agent.url}; config ${status.config.path}; database ${status.database.path}; collector ${status.collector.state}`,
    );
    for (const issue of status.config.errors)
      console.error(`tcprt agent: config rejected: ${formatConfigIssue(issue)}`);
    const signal = await waitForStopSignal();
    console.error(`tcprt agent: ${signal}, stopping`);
    await agent.stop();
    return 0;
  },
};
