import { UsageError, type CliCommand } from './command';
import { collectCommand } from './commands/collect';
import { configCommand } from './commands/config';
import { agentCommand } from './commands/agent';
import { statusCommand } from './commands/status';
import { tailCommand } from './commands/tail';
import { queryCommand } from './commands/query';
import { statsCommand } from './commands/stats';
import { endpointsCommand } from './commands/endpoints';
import { rulesCommand } from './commands/rules';
import { logsCommand } from './commands/logs';

// Each command lives in its own file under ./commands and is registered here.
const commands: CliCommand[] = [
  agentCommand,
  statusCommand,
  tailCommand,
  queryCommand,
  statsCommand,
  endpointsCommand,
  rulesCommand,
  logsCommand,
  collectCommand,
  configCommand,
];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    'usage: tcprt <command> [options]',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'tcprt <command> --help' for a command's options.",
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`tcprt: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`tcprt ${name}: ${err.message}\n\n${command.usage}`);
      return 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`tcprt: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
