import { expect, test } from '@playwright/test';
import path from 'node:path';
import {
  WEB_ROOT,
  freePort,
  requireBuild,
  startProcess,
  waitFor,
  type Started,
} from './support/processes';
import { saveScreenshot } from './support/screenshot';

// A console whose agent is down must say so, with the reason, instead of showing empty pages.
let console_: Started | undefined;
let consoleUrl: string;
let deadAgentUrl: string;

test.beforeAll(async () => {
  requireBuild();
  deadAgentUrl = `http://127.0.0.1:${await freePort()}`; // nothing listens there
  const port = await freePort();
  consoleUrl = `http://127.0.0.1:${port}`;
  console_ = startProcess(
    'unreachable-console',
    path.join(WEB_ROOT, 'node_modules/.bin/next'),
    ['start', '-p', String(port), '-H', '127.0.0.1'],
    { TCPRT_AGENT_URL: deadAgentUrl, NEXT_TELEMETRY_DISABLED: '1' },
    WEB_ROOT,
  );
  await waitFor(
    'console',
    async () => ((await fetch(`${consoleUrl}/`)).ok ? true : null),
    120_000,
    console_,
  );
});

test.afterAll(async () => {
  await console_?.stop();
});

test('an unreachable agent is reported on the page and by the proxy', async ({ page }) => {
  const rest = await fetch(`${consoleUrl}/api/status`);
  expect(rest.status).toBe(502);
  expect(((await rest.json()) as { message: string }).message).toContain(
    `cannot reach the tcprt agent at ${deadAgentUrl}`,
  );

  await page.goto(`${consoleUrl}/tasks`);
  await expect(page.getByRole('alert').filter({ hasText: 'Agent unreachable.' })).toContainText(
    deadAgentUrl,
  );
  await expect(page.getByText('Could not load this from the agent.')).toBeVisible();
  await saveScreenshot(page, 'agent-unreachable');
});
