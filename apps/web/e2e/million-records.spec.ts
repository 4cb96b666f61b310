import { expect, test, type Locator, type Page } from '@playwright/test';
import type { Status } from '@tcprt/schema';
import { startNginx, runWrk } from './support/nginx-load';
import { freePort, waitFor, type Started } from './support/processes';
import { saveScreenshot } from './support/screenshot';
import { startStack, type Stack } from './support/stack';

// The console must render its first data within a second on a database of a million records.
// The history is real: wrk drives keep-alive requests at Debian's nginx on a tracked port and the
// real collector records each one, until the agent holds a million records.
const RECORDS = 1_000_000;
// The budget; the variable exists to study a slower machine, CI keeps 1000.
const FIRST_DATA_BUDGET_MS = Number(process.env.TCPRT_FIRST_DATA_BUDGET_MS ?? 1000);

let stack: Stack;
let nginx: Started | undefined;
let port: number;

async function storedRecords(): Promise<Status> {
  return (await (await fetch(`${stack.agentUrl}/api/status`)).json()) as Status;
}

test.beforeAll(async () => {
  test.setTimeout(12 * 60_000);
  port = await freePort();
  stack = await startStack({ name: 'million', configYaml: `per-port:\n  - port: ${port}\n` });
  nginx = startNginx(port);
  await waitFor(
    'nginx',
    async () => ((await fetch(`http://127.0.0.1:${port}/`)).ok ? true : null),
    30_000,
    nginx,
  );
  const deadline = Date.now() + 8 * 60_000;
  while ((await storedRecords()).database.records < RECORDS) {
    if (Date.now() > deadline)
      throw new Error(
        `fewer than ${RECORDS} records after 8 min: ${JSON.stringify((await storedRecords()).database)}`,
      );
    await runWrk(port, 10);
  }
  await nginx.stop();
  // Measure once ingest is over: the agent no longer busy writing records.
  const status = await waitFor(
    'ingest finished',
    async () => {
      const s = await storedRecords();
      return s.recordsPerSec === 0 ? s : null;
    },
    120_000,
  );
  console.log(
    `history: ${status.database.records} records, ${Math.round(status.database.sizeBytes / 1048576)} MiB database, ${status.collector.lostRecords} lost in the kernel ring`,
  );
});

test.afterAll(async () => {
  await nginx?.stop();
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
    page.getByTestId(`port-card-${port}`).getByText(/\(\d[\d,]*\)/),
  );
  const tasks = await timeToFirstData(
    page,
    `${stack.consoleUrl}/tasks?range=1h&localPort=${port}`,
    () => page.getByTestId('tasks-table').locator('tbody tr').first(),
  );
  const trends = await timeToFirstData(
    page,
    `${stack.consoleUrl}/trends?range=1h&port=${port}`,
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
