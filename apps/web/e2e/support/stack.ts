import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Status } from '@tcprt/schema';
import { freePort } from '@tcprt/testkit/freePort';
import { TCPRT_BIN } from '@tcprt/testkit/paths';
import type { Service } from '@tcprt/testkit/service';
import { requireBuild, startConsole, startProcess, waitUntilReady } from './processes';

export interface Stack {
  agentUrl: string;
  consoleUrl: string;
  dataDir: string;
  token: string;
  /** The agent's process (bin/tcprt execs node), e.g. to watch its memory. */
  agentPid: number;
  stop: () => Promise<void>;
}

export interface StackOptions {
  name: string;
  /** tcprt.yaml text the agent starts with. */
  configYaml: string;
  /** The loopback address both listen on (another one stands for a second host). */
  host?: string;
  /** The console's port; a free one when not given. */
  consolePort?: number;
  /** Extra environment of the console (e.g. the Fleet page's settings). */
  consoleEnv?: Record<string, string>;
  /** Runs on the empty data directory before the agent starts (e.g. to write history into it). */
  prepareDataDir?: (dataDir: string) => Promise<void>;
}

/** A real agent (with the real eBPF collector) and `next start` in front of it, on free ports. */
export async function startStack({
  name,
  configYaml,
  prepareDataDir,
  host = '127.0.0.1',
  consolePort: givenConsolePort,
  consoleEnv = {},
}: StackOptions): Promise<Stack> {
  requireBuild();
  const dir = mkdtempSync(path.join(os.tmpdir(), `tcprt-web-${name}-`));
  const configPath = path.join(dir, 'tcprt.yaml');
  const dataDir = path.join(dir, 'data');
  writeFileSync(configPath, configYaml);
  await prepareDataDir?.(dataDir);
  const agentPort = await freePort();
  const consolePort = givenConsolePort ?? (await freePort());
  const agentUrl = `http://${host}:${agentPort}`;
  const consoleUrl = `http://${host}:${consolePort}`;
  const started: Service[] = [];
  const stop = async () => {
    for (const s of started.reverse()) await s.stop();
  };
  try {
    const agent = startProcess(
      `${name}-agent`,
      [
        TCPRT_BIN,
        'agent',
        '--config',
        configPath,
        '--data-dir',
        dataDir,
        '--listen',
        `${host}:${agentPort}`,
      ],
      {},
    );
    started.push(agent);
    await waitUntilReady(
      agent,
      'agent with a running collector',
      async () => {
        try {
          const status = (await (await fetch(`${agentUrl}/api/status`)).json()) as Status;
          return status.collector.state === 'running';
        } catch {
          return false; // not listening yet
        }
      },
      // Loading the eBPF programs takes seconds, minutes on a machine busy with other builds.
      180_000,
    );
    started.push(
      await startConsole(`${name}-console`, { host, port: consolePort, agentUrl, env: consoleEnv }),
    );
    const token = readFileSync(path.join(dataDir, 'token'), 'utf8').trim();
    return { agentUrl, consoleUrl, dataDir, token, agentPid: agent.process.pid!, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
