import { expect, test } from '@playwright/test';
import { setTimeout as sleep } from 'node:timers/promises';
import { e2e } from './support/e2e-env';
import { saveScreenshot } from './support/screenshot';
import { keepAliveSession, startDelayServer } from './support/traffic';

// Two hosts: the main agent (127.0.0.1) and a second one on 127.0.0.2, both scraped every second
// by a real Prometheus that only the console's server side talks to (global-setup.ts).

const FLEET_DELAY_MS = 30;

test('the Fleet page lists both hosts with their ports, and a row opens that host’s console', async ({
  page,
}) => {
  const server = await startDelayServer({
    port: e2e.fleetPort(),
    delayMs: FLEET_DELAY_MS,
    responseBytes: 500,
  });
  try {
    // Spread over a few scrapes, so Prometheus sees the count rise (rate needs two samples).
    for (let i = 0; i < 4; i++) {
      await keepAliveSession(e2e.fleetPort(), {
        requests: 5,
        requestBytes: 50,
        responseBytes: 500,
      });
      await sleep(700);
    }
    const main = new URL(e2e.agentUrl()).host;
    const second = new URL(e2e.secondAgentUrl()).host;
    const row = (instance: string, port: number) =>
      page.locator(`tr[data-instance="${instance}"][data-port="${port}"]`);
    // p50 total (5th column) of the second host's port: about the server's delay.
    await expect
      .poll(
        async () => {
          await page.goto(`${e2e.consoleUrl()}/fleet?sort=rate&dir=desc`);
          return (await row(second, e2e.fleetPort()).locator('td').nth(4).textContent()) ?? '';
        },
        { timeout: 30_000, intervals: [1000] },
      )
      .toMatch(/^\d+(\.\d+)? ms$/);
    await expect(row(main, e2e.slowPort())).toBeVisible();
    await expect(row(main, e2e.bigPort())).toBeVisible();
    await expect(page.getByRole('link', { name: 'Requests ↓' })).toBeVisible();
    await saveScreenshot(page, 'fleet');

    // Filters live in the URL.
    await page.goto(`${e2e.consoleUrl()}/fleet?port=${e2e.fleetPort()}`);
    await expect(page.locator('tbody tr')).toHaveCount(1);

    await row(second, e2e.fleetPort()).getByRole('link', { name: second }).click();
    await expect(page).toHaveURL(`${e2e.secondConsoleUrl()}/`);
    await expect(page.getByTestId(`port-card-${e2e.fleetPort()}`)).toBeVisible();
  } finally {
    await server.close();
  }
});

test('without TCPRT_PROMETHEUS_URL the Fleet page says how to turn it on', async ({ page }) => {
  // The second host's console runs without the setting.
  await page.goto(`${e2e.secondConsoleUrl()}/fleet`);
  await expect(page.getByRole('heading', { name: 'Turn the Fleet page on' })).toBeVisible();
  await expect(page.getByText('TCPRT_PROMETHEUS_URL=')).toBeVisible();
});
