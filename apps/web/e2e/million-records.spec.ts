import { expect, test, type Locator, type Page } from '@playwright/test';
import path from 'node:path';
import type { Status } from '@tcprt/schema';
import { REPO_ROOT, waitFor } from './support/processes';
import { saveScreenshot } from './support/screenshot';
import { startStack, type Stack } from './support/stack';

// The console must render its first data within a second on a database of a million records.
// The kernel cannot produce a million requests quickly here, so this agent is fed by the
// ingest benchmark's stand-in loader, which speaks the real loader's protocol.
const RECORDS = 1_000_000;
const PORT = 8080;
const FIRST_DATA_BUDGET_MS = 1000;
const FAKE_LOADER = path.join(REPO_ROOT, 'scripts/bench/ingest-fake-loader.mjs');

let stack: Stack;

test.beforeAll(async () => {
  test.setTimeout(8 * 60_000);
  stack = await startStack({
    name: 'million',
    configYaml: `per-port:\n  - port: ${PORT}\n`,
    agentEnv: {
      TCPRT_COLLECTOR: FAKE_LOADER,
      BENCH_RECORDS: String(RECORDS),
      BENCH_PORT: String(PORT),
    },
  });
  // Measure once ingest is over: all records stored and the agent no longer busy writing them.
  await waitFor(
    `${RECORDS} records stored and ingest finished`,
    async () => {
      const status = (await (await fetch(`${stack.agentUrl}/api/status`)).json()) as Status;
      return status.database.records >= RECORDS && status.recordsPerSec === 0 ? status : null;
    },
    6 * 60_000,
  );
});

test.afterAll(async () => {
  await stack?.stop();
});

const RUNS = 5;

/**
 * Milliseconds from starting navigation to `ready` being visible: the first (cold) visit, and the
 * median of RUNS later visits with the page's bundle cached, as a returning user sees it.
 */
async function timeToFirstData(
  page: Page,
  url: string,
  ready: () => Locator,
): Promise<{ coldMs: number; warmMs: number }> {
  const once = async () => {
    await page.goto('about:blank');
    const start = Date.now();
    await page.goto(url, { waitUntil: 'commit' });
    await expect(ready()).toBeVisible({ timeout: 30_000 });
    return Date.now() - start;
  };
  const coldMs = await once();
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) warm.push(await once());
  warm.sort((a, b) => a - b);
  return { coldMs, warmMs: warm[Math.floor(RUNS / 2)]! };
}

test('first data renders within a second on a million records', async ({ page }) => {
  const overview = await timeToFirstData(page, `${stack.consoleUrl}/?range=1h`, () =>
    page.getByTestId(`port-card-${PORT}`).getByText(/\(\d[\d,]*\)/),
  );
  const tasks = await timeToFirstData(
    page,
    `${stack.consoleUrl}/tasks?range=1h&localPort=${PORT}`,
    () => page.getByTestId('tasks-table').locator('tbody tr').first(),
  );
  const trends = await timeToFirstData(
    page,
    `${stack.consoleUrl}/trends?range=1h&port=${PORT}`,
    () => page.getByRole('img', { name: 'Total time p50, p90, p99' }),
  );
  console.log(
    `first data on ${RECORDS} records (cold / median of later visits): overview ${overview.coldMs} / ${overview.warmMs} ms, tasks ${tasks.coldMs} / ${tasks.warmMs} ms, trends ${trends.coldMs} / ${trends.warmMs} ms`,
  );
  await saveScreenshot(page, 'trends-million-records');
  expect(overview.warmMs).toBeLessThan(FIRST_DATA_BUDGET_MS);
  expect(tasks.warmMs).toBeLessThan(FIRST_DATA_BUDGET_MS);
  expect(trends.warmMs).toBeLessThan(FIRST_DATA_BUDGET_MS);
});
