import { expect, test } from '@playwright/test';
import { freePort } from '@tcprt/testkit/freePort';
import type { Service } from '@tcprt/testkit/service';
import { startConsole } from './support/processes';
import { saveScreenshot } from './support/screenshot';

// A console whose agent is down must say so, with the reason, instead of showing empty pages.
// Needs no root: it runs where the kernel-backed specs skip.
let console_: Service | undefined;
let consoleUrl: string;
let deadAgentUrl: string;

test.beforeAll(async () => {
  deadAgentUrl = `http://127.0.0.1:${await freePort()}`; // nothing listens there
  const port = await freePort();
  consoleUrl = `http://127.0.0.1:${port}`;
  console_ = await startConsole('unreachable-console', {
    host: '127.0.0.1',
    port,
    agentUrl: deadAgentUrl,
  });
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
