import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Status } from '@tcprt/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './fixtures/agent-harness';
import { brokenConfigFiles, removeConfigFile } from './fixtures/broken-config-files';
import { waitUntil } from '@tcprt/testkit/waitUntil';

// Every broken config of the schema's corpus, and every broken kind of file, given to a running
// agent: each is rejected in status with a line+field or a file-level reason, the last good
// config keeps running, and status answers within a second all along.
const fixtures = join(import.meta.dirname, '../../../packages/schema/test/fixtures/config/bad');
const badYaml = readdirSync(fixtures).filter((f) => f.endsWith('.yaml'));
const GOOD = 'per-port:\n  - port: 8080\n    mode: http\n';
const STATUS_WITHIN_MS = 1000;

let h: Harness;
const statusMs: number[] = [];

async function status(): Promise<Status> {
  const started = performance.now();
  const res = await fetch(`${h.agent.url}/api/status`, {
    signal: AbortSignal.timeout(STATUS_WITHIN_MS * 5),
  });
  statusMs.push(performance.now() - started);
  expect(res.status).toBe(200);
  return (await res.json()) as Status;
}

async function putGood(): Promise<void> {
  removeConfigFile(h.configPath);
  writeFileSync(h.configPath, GOOD);
  await waitUntil(
    'the good config back',
    async () => (await status()).config.errors.length === 0,
    5000,
    20,
  );
}

async function rejectionInStatus(): Promise<Status['config']['errors']> {
  let errors: Status['config']['errors'] = [];
  await waitUntil(
    'the rejection in status',
    async () => (errors = (await status()).config.errors).length > 0,
    5000,
    20,
  );
  return errors;
}

function expectStillRunningGood(): void {
  expect(h.agent.services.config.config['per-port'].map((r) => r.port)).toEqual([8080]);
  expect(h.collector.appliedConfigs.at(-1)?.['per-port'].map((r) => r.port)).toEqual([8080]);
}

beforeAll(async () => {
  h = await startHarness(GOOD);
});
afterAll(async () => {
  await h.stop();
  await h.dir.remove();
  statusMs.sort((a, b) => a - b);
  console.log(
    `status during the corpus: ${statusMs.length} calls, p50 ${statusMs[Math.floor(statusMs.length / 2)]?.toFixed(1)} ms, max ${statusMs.at(-1)?.toFixed(1)} ms`,
  );
});

describe('a running agent refuses every broken config and keeps the last good one', () => {
  it('has at least 60 broken configs in the corpus', () => {
    expect(badYaml.length + brokenConfigFiles.length).toBeGreaterThanOrEqual(60);
  });

  it.each(badYaml)('bad/%s', async (file) => {
    await putGood();
    const expected = readFileSync(join(fixtures, file.replace(/\.yaml$/, '.errors')), 'utf8')
      .trimEnd()
      .split('\n');
    writeFileSync(h.configPath, readFileSync(join(fixtures, file)));
    const errors = await rejectionInStatus();
    expect(errors.map((e) => `line ${e.line}: ${e.path ? `${e.path}: ` : ''}${e.message}`)).toEqual(
      expected,
    );
    expectStillRunningGood();
  });

  it.each(brokenConfigFiles)('$name', async ({ put, reason, line }) => {
    await putGood();
    removeConfigFile(h.configPath);
    put(h.configPath);
    const errors = await rejectionInStatus();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: line ?? null, path: '' });
    expect(errors[0]!.message).toMatch(reason);
    expect(errors[0]!.message.length).toBeLessThan(200);
    expectStillRunningGood();
  });

  it('answered status within a second throughout', () => {
    expect(statusMs.length).toBeGreaterThan(100);
    expect(Math.max(...statusMs)).toBeLessThan(STATUS_WITHIN_MS);
  });
});
