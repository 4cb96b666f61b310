import { freePort } from './support/processes';
import { SLOW_PORT_NAME } from './support/e2e-env';
import { startStack } from './support/stack';

/**
 * One real agent (real eBPF collector) and the built console for the whole run. The agent starts
 * tracking two ports whose servers the specs run with known delays (the slow one named by its
 * rule); a third port starts
 * untracked so a spec can add its rule through the console.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const slowPort = await freePort();
  const bigPort = await freePort();
  const newPort = await freePort();
  const stack = await startStack({
    name: 'main',
    configYaml: [
      'per-port:',
      `  - port: ${slowPort}`,
      `    name: ${SLOW_PORT_NAME}`,
      `  - port: ${bigPort}`,
      '',
    ].join('\n'),
  });
  Object.assign(process.env, {
    TCPRT_CONSOLE_URL: stack.consoleUrl,
    TCPRT_E2E_AGENT_URL: stack.agentUrl,
    TCPRT_E2E_TOKEN: stack.token,
    TCPRT_E2E_SLOW_PORT: String(slowPort),
    TCPRT_E2E_BIG_PORT: String(bigPort),
    TCPRT_E2E_NEW_PORT: String(newPort),
  });
  return stack.stop;
}
