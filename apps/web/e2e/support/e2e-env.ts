/** The bulk port's hour of generated history: a download of it must return every line. */
export const BULK_RECORDS = 1_000_000;

/** What global-setup started, as the specs see it. */
function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run the specs through playwright test (global-setup starts the stack)`,
    );
  return value;
}

/** The `name:` of the slow port's rule: the console labels that port with it. */
export const SLOW_PORT_NAME = 'slow-api';

/** A comment in the main stack's tcprt.yaml: console edits must leave it in the file. */
export const CONFIG_COMMENT = '# the slow port: a delay server answering after 150 ms';

export const e2e = {
  /** Why global-setup did not start the stack (no root, BTF or cgroup v2), or undefined. */
  skipReason: () => process.env.TCPRT_E2E_SKIP,
  consoleUrl: () => required('TCPRT_CONSOLE_URL'),
  agentUrl: () => required('TCPRT_E2E_AGENT_URL'),
  token: () => required('TCPRT_E2E_TOKEN'),
  slowPort: () => Number(required('TCPRT_E2E_SLOW_PORT')),
  bigPort: () => Number(required('TCPRT_E2E_BIG_PORT')),
  newPort: () => Number(required('TCPRT_E2E_NEW_PORT')),
  agentPid: () => Number(required('TCPRT_E2E_AGENT_PID')),
  burstPort: () => Number(required('TCPRT_E2E_BURST_PORT')),
  bimodalPort: () => Number(required('TCPRT_E2E_BIMODAL_PORT')),
  bulkPort: () => Number(required('TCPRT_E2E_BULK_PORT')),
  /** Start of the bulk port's hour of BULK_RECORDS generated records. */
  bulkFromMs: () => Number(required('TCPRT_E2E_BULK_FROM_MS')),
  secondConsoleUrl: () => required('TCPRT_E2E_SECOND_CONSOLE_URL'),
  secondAgentUrl: () => required('TCPRT_E2E_SECOND_AGENT_URL'),
  fleetPort: () => Number(required('TCPRT_E2E_FLEET_PORT')),
  /** Tracked in http mode; the endpoints spec runs nginx on it. */
  endpointsPort: () => Number(required('TCPRT_E2E_ENDPOINTS_PORT')),
  /** Tracked in http mode, for nginx in front of an upstream slower than its clients wait. */
  gaveUpPort: () => Number(required('TCPRT_E2E_GAVE_UP_PORT')),
};
