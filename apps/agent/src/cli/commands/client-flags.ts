import { callAgent, findAgent, type AgentEndpoint } from '../agent-client';
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

/**
 * GETs `apiPath` from the agent and prints the answer: as JSON with `json`, else as `describe`
 * says. Returns the exit code (1, with the reason on stderr, when the agent does not answer).
 */
export async function printAgentAnswer<T>(
  command: string,
  flags: {
    agent?: string | undefined;
    'data-dir'?: string | undefined;
    json?: boolean | undefined;
  },
  apiPath: string,
  describe: (answer: T) => string,
): Promise<number> {
  let answer: T;
  try {
    answer = await callAgent<T>(endpointFrom(flags), 'GET', apiPath);
  } catch (err) {
    console.error(`tcprt ${command}: ${(err as Error).message}`);
    return 1;
  }
  console.log(flags.json ? JSON.stringify(answer, null, 2) : describe(answer));
  return 0;
}
