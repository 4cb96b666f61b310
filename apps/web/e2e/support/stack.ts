import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Status } from '@tcprt/schema';
import {
  TCPRT_BIN,
  WEB_ROOT,
  freePort,
  requireBuild,
  startProcess,
  waitFor,
  type Started,
} from './processes';

export interface Stack {
  agentUrl: string;
  consoleUrl: string;
  dataDir: string;
  token: string;
  /** The agent's process (bin/tcprt execs node), e.g. to watch its memory. */
  agentPid: number;
  stop(): Promise<void>;
}

export interface StackOptions {
  name: string;
  /** tcprt.yaml text the agent starts with. */
  configYaml: string;
  /** Runs on the empty data directory before the agent starts (e.g. to write history into it). */
  prepareDataDir?: (dataDir: string) => Promise<void>;
}

/** A real agent (with the real eBPF collector) and `next start` in front of it, on free ports. */
export async function startStack({
  name,
  configYaml,
  prepareDataDir,
}: StackOptions): Promise<Stack> {
  requireBuild();
  const dir = mkdtempSync(path.join(os.tmpdir(), `tcprt-web-${name}-`));
  const configPath = path.join(dir, 'tcprt.yaml');
  const dataDir = path.join(dir, 'data');
  writeFileSync(configPath, configYaml);
  await prepareDataDir?.(dataDir);
  const agentPort = await freePort();
  const consolePort = await freePort();
  const agentUrl = `http://127.0.0.1:${agentPort}`;
  const consoleUrl = `http://127.0.0.1:${consolePort}`;
  const started: Started[] = [];
  const stop = async () => {
    for (const s of started.reverse()) await s.stop();
  };
  try {
    const agent = startProcess(
      `${name}-agent`,
      TCPRT_BIN,
      [
        'agent',
        '--config',
        configPath,
        '--data-dir',
        dataDir,
        '--listen',
        `127.0.0.1:${agentPort}`,
      ],
      {},
    );
    started.push(agent);
    await waitFor(
      'agent with a running collector',
      async () => {
        const res = await fetch(`${agentUrl}/api/status`);
        const status = (await res.json()) as Status;
        return status.collector.state === 'running' ? status : null;
      },
      // Loading the eBPF programs takes seconds, minutes on a machine busy with other builds.
      180_000,
      agent,
    );
    const next = startProcess(
      `${name}-console`,
      path.join(WEB_ROOT, 'node_modules/.bin/next'),
      ['start', '-p', String(consolePort), '-H', '127.0.0.1'],
      { TCPRT_AGENT_URL: agentUrl, NEXT_TELEMETRY_DISABLED: '1' },
      WEB_ROOT,
    );
    started.push(next);
    await waitFor(
      'console',
      async () => ((await fetch(`${consoleUrl}/api/status`)).ok ? true : null),
      120_000,
      next,
    );
    const token = readFileSync(path.join(dataDir, 'token'), 'utf8').trim();
    return { agentUrl, consoleUrl, dataDir, token, agentPid: agent.child.pid!, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
