import { freePort } from '@tcprt/testkit/freePort';
import { kernelTestsSkipReason } from '@tcprt/testkit/kernelGate';
import { startPrometheus } from '@tcprt/testkit/prometheus';
import { BULK_RECORDS, CONFIG_COMMENT, SLOW_PORT_NAME } from './support/e2e-env';
import { fillHistory } from './support/history-plan';
import { startStack } from './support/stack';

/** A second "host" for the Fleet page: another loopback address runs its own agent and console. */
const SECOND_HOST = '127.0.0.2';

/**
 * One real agent (real eBPF collector) and the built console for the whole run. The agent starts
 * tracking the ports whose servers the specs run with known delays (the slow one named by its
 * rule); a third port starts untracked so a spec can add its rule through the console; two ports
 * are in http mode, one for the nginx the endpoints spec runs on it, one for nginx in front of a
 * slow upstream (verdicts spec). Before it starts, its store gets history with real timestamps:
 * 15 quiet minutes on the burst port (the incident spec then sends a real burst through the
 * collector) and an hour of a million records on a bulk port.
 *
 * The collector needs root, BTF and cgroup v2: without them the stack is not started and the
 * specs that need it skip with the reason (an error instead where they are required, see
 * @tcprt/testkit/kernelGate).
 *
 * For the Fleet page: a second agent and console on 127.0.0.2 (same console port, so one
 * TCPRT_FLEET_HOST_URL template reaches both) tracking a fourth port, and Debian's Prometheus
 * scraping both agents; the main console reads it through TCPRT_PROMETHEUS_URL.
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
  const burstPort = await freePort();
  const bimodalPort = await freePort();
  const bulkPort = await freePort();
  const fleetPort = await freePort();
  const endpointsPort = await freePort();
  const gaveUpPort = await freePort();
  // freePort checks 0.0.0.0, so the port is free on every loopback address.
  const consolePort = await freePort();
  const prometheusPort = await freePort();
  const nowMs = Date.now();
  const bulkFromMs = Math.floor((nowMs - 3 * 3_600_000) / 60_000) * 60_000;
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s();
  };
  try {
    const stack = await startStack({
      name: 'main',
      configYaml: [
        'per-port:',
        `  ${CONFIG_COMMENT}`,
        `  - port: ${slowPort}`,
        `    name: ${SLOW_PORT_NAME}`,
        ...[bigPort, burstPort, bimodalPort].map((p) => `  - port: ${p}`),
        `  - port: ${endpointsPort}`,
        '    mode: http',
        // http mode sees where a request ends: a client leaving before the answer gave up.
        `  - port: ${gaveUpPort}`,
        '    mode: http',
        '',
      ].join('\n'),
      consolePort,
      consoleEnv: {
        TCPRT_PROMETHEUS_URL: `http://127.0.0.1:${prometheusPort}`,
        TCPRT_FLEET_HOST_URL: `http://{host}:${consolePort}`,
      },
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
    stops.push(stack.stop);
    const second = await startStack({
      name: 'second',
      host: SECOND_HOST,
      consolePort,
      configYaml: `per-port:\n  - port: ${fleetPort}\n`,
    });
    stops.push(second.stop);
    const prometheus = await startPrometheus(
      [{ job: 'tcprt', targets: [new URL(stack.agentUrl).host, new URL(second.agentUrl).host] }],
      { port: prometheusPort },
    );
    stops.push(() => prometheus.stop());
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
      TCPRT_E2E_SECOND_CONSOLE_URL: second.consoleUrl,
      TCPRT_E2E_SECOND_AGENT_URL: second.agentUrl,
      TCPRT_E2E_FLEET_PORT: String(fleetPort),
      TCPRT_E2E_ENDPOINTS_PORT: String(endpointsPort),
      TCPRT_E2E_GAVE_UP_PORT: String(gaveUpPort),
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return stop;
}
