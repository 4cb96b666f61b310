import { isSinglePort, portRangeOf, ruleIsPeer, type TcprtConfig } from '@tcprt/schema';
import { PORT_MODE_CODES } from './abi';

/** The loader refused a rule set (its `rules` command answered with an error); its rules are unchanged. */
export class RulesRefusedError extends Error {}

/**
 * The loader's `rules` command for a config (grammar in packages/bpf/src/loader/commands.h):
 * the first_frame steps, then one token per rule, in file order, which the kernel then matches in
 * SPEC order.
 */
export function rulesCommand(id: number, config: TcprtConfig): string {
  const tokens = config['per-port'].map((rule) => {
    const side = ruleIsPeer(rule, config.global.peer) ? 'P' : 'L';
    const { start, end } = portRangeOf(rule.port);
    const ports = isSinglePort(rule.port) ? `${start}` : `${start}-${end}`;
    return `${side}${ports}:${PORT_MODE_CODES[rule.mode]}:${rule.first_frame === 'enable' ? 1 : 0}`;
  });
  const steps = `F${[0, 1, 2, 3].map((i) => config.global.first_frame_bytes[i] ?? 0).join(',')}`;
  return `${['rules', String(id), steps, ...tokens].join(' ')}\n`;
}
