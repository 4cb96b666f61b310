import { isSinglePort, portRangeOf } from './port-spec';
import { ruleIsPeer } from './rule-side';
import type { PortRule, TcprtConfig } from './schema';

export interface RuleMatch {
  rule: PortRule;
  /** Position of the rule in `per-port`. */
  index: number;
  /** true: the connection is tracked in peer (client-side) mode. */
  peer: boolean;
}

export interface ConnectionPorts {
  localPort: number;
  peerPort: number;
}

/** SPEC §4 order: local single ports, local ranges, peer single ports, peer ranges. */
const MATCH_ORDER = [
  { peer: false, single: true },
  { peer: false, single: false },
  { peer: true, single: true },
  { peer: true, single: false },
] as const;

/** The rule that decides how a connection established with these ports is tracked; null = untracked. */
export function matchRule(config: TcprtConfig, ports: ConnectionPorts): RuleMatch | null {
  const rules = config['per-port'];
  for (const { peer, single } of MATCH_ORDER) {
    const port = peer ? ports.peerPort : ports.localPort;
    const index = rules.findIndex((rule) => {
      if (ruleIsPeer(rule, config.global.peer) !== peer || isSinglePort(rule.port) !== single)
        return false;
      const range = portRangeOf(rule.port);
      return range.start <= port && port <= range.end;
    });
    const rule = rules[index];
    if (rule) return { rule, index, peer };
  }
  return null;
}
