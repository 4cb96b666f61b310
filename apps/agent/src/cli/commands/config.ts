import { configFromLegacy, dumpConfigYaml } from '@tcprt/schema';
import { loadConfigFile } from '../../config/config-codec';
import { ConfigRejectedError } from '../../config/config-rejected-error';
import { UsageError, type CliCommand } from '../command';
import { resolveUserPath } from '../paths';
import { configGet, configSet } from './config-remote';

/** One `tcprt config <name>` subcommand. Add new ones to `subcommands` below. */
interface ConfigSubcommand {
  name: string;
  /** Argument synopsis for the usage text, e.g. `FILE`. */
  synopsis: string;
  summary: string;
  /** Resolves with the exit code; may return it directly when it does no I/O that waits. */
  run(args: string[]): number | Promise<number>;
}

const validate: ConfigSubcommand = {
  name: 'validate',
  synopsis: 'FILE',
  summary:
    'check a tcprt.yaml; print it normalized (defaults filled in), or every problem with its line',
  async run(args) {
    const [file, ...extra] = args;
    if (file === undefined || extra.length > 0)
      throw new UsageError('validate takes exactly one FILE');
    // The same checks as the agent's: a file the agent would refuse fails here.
    const result = await loadConfigFile(resolveUserPath(file));
    if (!result.ok) {
      for (const line of new ConfigRejectedError(result.issues).lines)
        console.error(`${file}: ${line}`);
      return 1;
    }
    process.stdout.write(dumpConfigYaml(result.config));
    return 0;
  },
};

const fromLegacy: ConfigSubcommand = {
  name: 'from-legacy',
  synopsis: '"lports=80,3306 pports=... stats=1 ..."',
  summary: 'translate tcp_rt.ko module parameters into the equivalent tcprt.yaml',
  run(args) {
    if (args.length === 0) throw new UsageError('from-legacy needs the module parameters');
    const result = configFromLegacy(args.join(' '));
    if (!result.ok) {
      for (const problem of result.problems) console.error(`tcprt config from-legacy: ${problem}`);
      return 1;
    }
    process.stdout.write(dumpConfigYaml(result.config));
    return 0;
  },
};

const subcommands: ConfigSubcommand[] = [validate, fromLegacy, configGet, configSet];

export const configCommand: CliCommand = {
  name: 'config',
  summary: 'validate tcprt.yaml, translate tcp_rt.ko parameters',
  usage: [
    'usage:',
    ...subcommands.map((s) => `  tcprt config ${s.name} ${s.synopsis}\n      ${s.summary}`),
  ].join('\n'),
  async run(args) {
    const [name, ...rest] = args;
    const subcommand = subcommands.find((s) => s.name === name);
    if (!subcommand) {
      throw new UsageError(
        name === undefined ? 'missing subcommand' : `unknown subcommand '${name}'`,
      );
    }
    return subcommand.run(rest);
  },
};
