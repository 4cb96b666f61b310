import { findAgent, type AgentEndpoint } from '../agent-client';
import { resolveUserPath } from '../paths';

/** Options every command that talks to a running agent accepts. */
export const CLIENT_FLAGS = { agent: 'string', 'data-dir': 'string' } as const;
export const CLIENT_USAGE =
  '  --agent URL        agent to talk to (default: the one the local agent advertises, else http://127.0.0.1:7071)\n  --data-dir DIR     where the local agent keeps its token (default /var/lib/tcprt)';

export function endpointFrom(flags: {
  agent?: string | undefined;
  'data-dir'?: string | undefined;
}): AgentEndpoint {
  return findAgent({
    agent: flags.agent,
    dataDir: flags['data-dir'] ? resolveUserPath(flags['data-dir']) : undefined,
  });
}
