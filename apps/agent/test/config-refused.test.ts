import { renameSync, writeFileSync } from 'node:fs';
import type { Status } from '@tcprt/schema';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { statusCommand } from '../src/cli/commands/status';
import { startHarness, type Harness } from './fixtures/agent-harness';
import { waitUntil } from '@tcprt/testkit/waitUntil';

// A rule set the collector's loader refuses is a config rejection like a YAML error: shown in
// status, never applied, the accepted rules keep running, and no restart loop follows.
const GOOD = 'per-port:\n  - port: 8080\n';
const REFUSED = 'per-port:\n  - port: 8080\n  - port: 8081\n  - port: 8082\n';
const REFUSAL = 'more than 2 single-port rules';

let h: Harness;
beforeEach(async () => {
  h = await startHarness(GOOD);
  h.collector.refuse = (config) => (config['per-port'].length > 2 ? REFUSAL : null);
});
afterEach(async () => {
  await h.stop();
  await h.dir.remove();
});

async function status(): Promise<Status> {
  return (await (await fetch(`${h.agent.url}/api/status`)).json()) as Status;
}
function writeConfig(text: string): void {
  writeFileSync(`${h.configPath}.new`, text);
  renameSync(`${h.configPath}.new`, h.configPath);
}
const runningPorts = () => h.agent.services.config.config['per-port'].map((r) => r.port);
const refusedIssue = {
  line: null,
  path: 'per-port',
  message: `the collector refused these rules: ${REFUSAL}`,
};

it('shows a refused file edit as a rejected config and keeps the accepted rules, also after a collector restart', async () => {
  writeConfig(REFUSED);
  await waitUntil('the rejection', async () => (await status()).config.errors.length > 0, 5000);
  expect((await status()).config.errors).toEqual([refusedIssue]);
  expect(runningPorts()).toEqual([8080]);
  // `tcprt status` says so too (and still exits 0: the collector runs on the accepted rules).
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((text: string) => printed.push(text));
  try {
    expect(await statusCommand.run(['--agent', h.agent.url])).toBe(0);
  } finally {
    log.mockRestore();
  }
  expect(printed.join('\n')).toContain('LAST CHANGE REJECTED');
  expect(printed.join('\n')).toContain(`per-port: ${refusedIssue.message}`);
  const rules = (await (await fetch(`${h.agent.url}/api/config/rules`)).json()) as {
    rules: { port: number }[];
  };
  expect(rules.rules.map((r) => r.port)).toEqual([8080]);

  h.collector.crash('loader killed');
  await waitUntil('the restart', async () => (await status()).collector.state === 'running', 5000);
  expect(h.collector.appliedConfigs.at(-1)?.['per-port'].map((r) => r.port)).toEqual([8080]);
  expect((await status()).config.errors).toEqual([refusedIssue]);
});

it('refuses an API change the collector refuses with a 400 carrying the reason', async () => {
  const res = await fetch(`${h.agent.url}/api/config`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${h.agent.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ yaml: REFUSED }),
  });
  expect(res.status).toBe(400);
  expect(await res.text()).toContain(REFUSAL);
  expect(runningPorts()).toEqual([8080]);
  expect((await status()).config.errors).toEqual([refusedIssue]);
});

it('starts again at once on the accepted rules when a restart refuses rules given while the collector was down', async () => {
  h.collector.crash('loader killed');
  // The collector is down (restart pending): the config is kept for the restart.
  writeConfig(REFUSED);
  await waitUntil(
    'the refusal at the restart',
    async () => (await status()).config.errors.length > 0,
    5000,
  );
  await waitUntil('running', async () => (await status()).collector.state === 'running', 5000);
  expect((await status()).config.errors).toEqual([refusedIssue]);
  expect(runningPorts()).toEqual([8080]);
  expect(h.collector.appliedConfigs.at(-1)?.['per-port'].map((r) => r.port)).toEqual([8080]);
  // No restart loop: the refused start and the one on the accepted rules, then nothing.
  const starts = h.collector.starts;
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(h.collector.starts).toBe(starts);
  expect((await status()).collector.state).toBe('running');
});
