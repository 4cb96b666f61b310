import { freePort } from '@tcprt/testkit/freePort';
import { kernelTestsSkipReason } from '@tcprt/testkit/kernelGate';
import { startStack } from './support/stack';

/**
 * One real agent (real eBPF collector) and the built console for the whole run. The agent starts
 * tracking two ports whose servers the specs run with known delays; a third port starts
 * untracked so a spec can add its rule through the console.
 *
 * The collector needs root, BTF and cgroup v2: without them the stack is not started and the
 * specs that need it skip with the reason (an error instead where they are required, see
 * @tcprt/testkit/kernelGate).
 */
export default async function globalSetup(): Promise<(() => Promise<void>) | undefined> {
  const skipReason = kernelTestsSkipReason();
  if (skipReason) {
    console.warn(`browser tests against the agent skipped: ${skipReason}`);
    process.env.TCPRT_E2E_SKIP = skipReason;
    return undefined;
  }
  const slowPort = await freePort();
  const bigPort = await freePort();
  const newPort = await freePort();
  const stack = await startStack({
    name: 'main',
    configYaml: ['per-port:', `  - port: ${slowPort}`, `  - port: ${bigPort}`, ''].join('\n'),
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
