import type { NamedStatsPorts } from '../stats-accumulator';
import { isSinglePort } from './port-spec';
import { ruleIsPeer } from './rule-side';
import type { TcprtConfig } from './schema';

/** Ports the config names one by one, per side: their stats lines print every interval. */
export function namedStatsPorts(config: TcprtConfig): NamedStatsPorts {
  const named: { local: number[]; peer: number[] } = { local: [], peer: [] };
  for (const rule of config['per-port']) {
    if (isSinglePort(rule.port))
      named[ruleIsPeer(rule, config.global.peer) ? 'peer' : 'local'].push(rule.port);
  }
  return named;
}
