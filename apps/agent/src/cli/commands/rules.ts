import type { PortRule } from '@tcprt/schema';
import { callAgent } from '../agent-client';
import { UsageError, type CliCommand } from '../command';
import { parseFlags, parseIntFlag } from '../flags';
import { CLIENT_FLAGS, CLIENT_USAGE, endpointFrom } from './client-flags';

function describeRule(rule: PortRule, index: number): string {
  const side = rule.peer === undefined ? '' : rule.peer ? ' peer' : ' local';
  return `${index}  port ${rule.port}${side}  mode ${rule.mode}  first_frame ${rule.first_frame}`;
}

/** `80` or `8000,8010`: the rule's port as tcprt.yaml spells it. */
function parsePortSpec(text: string): number | string {
  if (/^\d+$/.test(text)) return Number(text);
  if (/^\d+,\d+$/.test(text)) return text;
  throw new UsageError(`expected PORT or START,END, got '${text}'`);
}

type Rules = { rules: PortRule[] };

export const rulesCommand: CliCommand = {
  name: 'rules',
  summary: 'list, add or remove per-port rules of the running agent',
  usage: [
    'usage: tcprt rules list',
    '       tcprt rules add PORT|START,END [--mode default|http|https] [--peer|--local] [--first-frame]',
    '       tcprt rules rm INDEX          (the number `rules list` shows)',
    CLIENT_USAGE,
  ].join('\n'),
  async run(args) {
    const { flags, positionals } = parseFlags(args, {
      ...CLIENT_FLAGS,
      mode: 'string',
      peer: 'boolean',
      local: 'boolean',
      'first-frame': 'boolean',
    });
    const [action, target, ...extra] = positionals;
    if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`);
    const endpoint = endpointFrom(flags);
    let result: Rules;
    try {
      if (action === 'list' && target === undefined) {
        result = await callAgent<Rules>(endpoint, 'GET', '/api/config/rules');
      } else if (action === 'add' && target !== undefined) {
        if (flags.peer && flags.local)
          throw new UsageError('--peer and --local exclude each other');
        const rule = {
          port: parsePortSpec(target),
          ...(flags.peer ? { peer: true } : flags.local ? { peer: false } : {}),
          mode: flags.mode ?? 'default',
          first_frame: flags['first-frame'] ? 'enable' : 'disable',
        };
        result = await callAgent<Rules>(endpoint, 'POST', '/api/config/rules', { rule });
      } else if (action === 'rm' && target !== undefined) {
        result = await callAgent<Rules>(
          endpoint,
          'DELETE',
          `/api/config/rules/${parseIntFlag('INDEX', target, 0, 10_000)}`,
        );
      } else {
        throw new UsageError(
          action === undefined
            ? 'missing action'
            : `cannot '${[action, target].filter(Boolean).join(' ')}'`,
        );
      }
    } catch (err) {
      if (err instanceof UsageError) throw err;
      console.error(`tcprt rules: ${(err as Error).message}`);
      return 1;
    }
    console.log(
      result.rules.length
        ? result.rules.map(describeRule).join('\n')
        : '(no rules: nothing is tracked)',
    );
    return 0;
  },
};
