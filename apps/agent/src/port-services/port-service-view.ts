import { matchRule, type PortService, type TcprtConfig } from '@tcprt/schema';
import type { PortServiceRow } from '../store/queries/port-service-queries';

/** The `name:` of the rule that tracks a port on that side, if it has one. */
export function ruleNameOf(config: TcprtConfig, port: number, peer: boolean): string | null {
  // Port 0 matches no rule, so only the side asked about can match.
  const match = matchRule(
    config,
    peer ? { localPort: 0, peerPort: port } : { localPort: port, peerPort: 0 },
  );
  return match?.rule.name ?? null;
}

/** The API's view of a port's service: the rule's name wins over the process's; null when neither exists. */
export function portServiceOf(
  row: PortServiceRow | undefined,
  ruleName: string | null,
): PortService | null {
  if (!row && ruleName === null) return null;
  return {
    name: ruleName ?? row?.process ?? '',
    source: ruleName === null ? 'process' : 'rule',
    process: row?.process ?? null,
    pid: row?.pid ?? null,
    command: row?.command ?? null,
    cgroup: row?.cgroup ?? null,
    unit: row?.unit || null,
    container: row?.container || null,
    firstSeenMs: row?.first_seen_ms ?? null,
    lastSeenMs: row?.last_seen_ms ?? null,
  };
}
