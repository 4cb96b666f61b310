import { afterAll, beforeAll, expect, it } from 'vitest';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCommand } from '@tcprt/testkit/command';
import { makeTempDir, type TempDir } from '@tcprt/testkit/tempDir';

/** The shipped Prometheus files pass Debian's promtool: syntax, and the rules' unit tests. */

const DEPLOY = path.resolve(import.meta.dirname, '../../../../deploy/prometheus');
let dir: TempDir;

beforeAll(async () => {
  dir = await makeTempDir('promtool');
});
afterAll(async () => {
  await dir.remove();
});

it('checks the recording and alerting rules', async () => {
  const { stdout } = await runCommand([
    'promtool',
    'check',
    'rules',
    path.join(DEPLOY, 'tcprt.rules.yml'),
  ]);
  expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
});

it('passes the rules unit tests (each alert fires and stays quiet)', async () => {
  // rule_files in the test file resolve against the test file's directory.
  const { stdout } = await runCommand([
    'promtool',
    'test',
    'rules',
    path.join(DEPLOY, 'tcprt.rules.test.yml'),
  ]);
  expect(stdout).toContain('SUCCESS');
});

it('checks the scrape-config example with a token file in place', async () => {
  // promtool checks that the credentials file exists: point it at one in the temp dir.
  const tokenFile = path.join(dir.path, 'tcprt-token');
  writeFileSync(tokenFile, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
  copyFileSync(path.join(DEPLOY, 'tcprt.rules.yml'), path.join(dir.path, 'tcprt.rules.yml'));
  const example = readFileSync(path.join(DEPLOY, 'scrape-config.example.yml'), 'utf8');
  expect(example).toContain('/etc/prometheus/tcprt-token');
  const config = path.join(dir.path, 'prometheus.yml');
  writeFileSync(config, example.replace('/etc/prometheus/tcprt-token', tokenFile));
  const { stdout } = await runCommand(['promtool', 'check', 'config', config]);
  expect(stdout).toContain('SUCCESS');
});
