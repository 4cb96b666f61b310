import { freePort } from './support/processes';
import { fillHistory } from './support/history-plan';
import { BULK_RECORDS } from './support/e2e-env';
import { startStack } from './support/stack';

/**
 * One real agent (real eBPF collector) and the built console for the whole run. The agent starts
 * tracking the ports whose servers the specs run with known delays; a third port starts
 * untracked so a spec can add its rule through the console. Before it starts, its store gets
 * history with real timestamps: 15 quiet minutes on the burst port (the incident spec then
 * sends a real burst through the collector) and an hour of a million records on a bulk port.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const slowPort = await freePort();
  const bigPort = await freePort();
  const newPort = await freePort();
  const burstPort = await freePort();
  const bimodalPort = await freePort();
  const bulkPort = await freePort();
  const nowMs = Date.now();
  const bulkFromMs = Math.floor((nowMs - 3 * 3_600_000) / 60_000) * 60_000;
  const stack = await startStack({
    name: 'main',
    configYaml: [
      'per-port:',
      ...[slowPort, bigPort, burstPort, bimodalPort].map((p) => `  - port: ${p}`),
      '',
    ].join('\n'),
    prepareDataDir: (dataDir) =>
      fillHistory(dataDir, [
        // One fast task every 2 s for the last 15 minutes.
        {
          port: burstPort,
          fromMs: nowMs - 15 * 60_000,
          toMs: nowMs,
          records: 450,
          processUs: [800, 1500],
        },
        {
          port: bulkPort,
          fromMs: bulkFromMs,
          toMs: bulkFromMs + 3_600_000,
          records: BULK_RECORDS,
          processUs: [100, 5000],
        },
      ]),
  });
  Object.assign(process.env, {
    TCPRT_CONSOLE_URL: stack.consoleUrl,
    TCPRT_E2E_AGENT_URL: stack.agentUrl,
    TCPRT_E2E_AGENT_PID: String(stack.agentPid),
    TCPRT_E2E_TOKEN: stack.token,
    TCPRT_E2E_SLOW_PORT: String(slowPort),
    TCPRT_E2E_BIG_PORT: String(bigPort),
    TCPRT_E2E_NEW_PORT: String(newPort),
    TCPRT_E2E_BURST_PORT: String(burstPort),
    TCPRT_E2E_BIMODAL_PORT: String(bimodalPort),
    TCPRT_E2E_BULK_PORT: String(bulkPort),
    TCPRT_E2E_BULK_FROM_MS: String(bulkFromMs),
  });
  return stack.stop;
}
