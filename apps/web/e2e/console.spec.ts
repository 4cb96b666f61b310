import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { parseLogLine } from '@tcprt/schema';
import { agentRecords, waitForRecords } from './support/agent-api';
import { CONFIG_COMMENT, e2e, SLOW_PORT_NAME } from './support/e2e-env';
import { saveScreenshot } from './support/screenshot';
import {
  abortMidRequest,
  abortWhileServerSends,
  keepAliveSession,
  startDelayServer,
  type DelayServer,
} from './support/traffic';

// Ground truth: every request on the slow port waits SERVER_DELAY_MS after it fully arrived.
const SERVER_DELAY_MS = 150;
const SESSIONS = 3;
const REQUESTS_PER_SESSION = 4;
const REQUEST_BYTES = 100;
const RESPONSE_BYTES = 2000;

test.describe.configure({ mode: 'serial' });
// These specs need the real agent global-setup starts: skipped, with its reason, where it cannot.
test.skip(e2e.skipReason() !== undefined, e2e.skipReason());

const servers: DelayServer[] = [];

test.beforeAll(async () => {
  servers.push(
    await startDelayServer({
      port: e2e.slowPort(),
      delayMs: SERVER_DELAY_MS,
      responseBytes: RESPONSE_BYTES,
    }),
  );
  // Far more than the socket buffers hold, so the client's reset finds the response unfinished.
  servers.push(
    await startDelayServer({ port: e2e.bigPort(), delayMs: 1, responseBytes: 64 * 1024 * 1024 }),
  );
  for (let i = 0; i < SESSIONS; i++) {
    await keepAliveSession(e2e.slowPort(), {
      requests: REQUESTS_PER_SESSION,
      requestBytes: REQUEST_BYTES,
      responseBytes: RESPONSE_BYTES,
      pauseMs: 100,
    });
  }
  await abortMidRequest(e2e.slowPort());
  await abortWhileServerSends(e2e.bigPort());
  await waitForRecords({ localPort: e2e.slowPort(), kinds: 'R' }, SESSIONS * REQUESTS_PER_SESSION);
  await waitForRecords({ localPort: e2e.bigPort(), kinds: 'W' }, 1);
});

test.afterAll(async () => {
  for (const s of servers) await s.close();
});

test('overview shows a card for the tracked port with its traffic', async ({ page }) => {
  await page.goto(`${e2e.consoleUrl()}/?range=15m`);
  const card = page.getByTestId(`port-card-${e2e.slowPort()}`);
  await expect(card).toBeVisible();
  // named by its rule's `name:`
  await expect(
    card.getByRole('link', { name: `${SLOW_PORT_NAME} (:${e2e.slowPort()})` }),
  ).toBeVisible();
  // 12 finished tasks, and the process share dominates the split.
  await expect(card.getByText(`(${SESSIONS * REQUESTS_PER_SESSION})`)).toBeVisible();
  await expect(card.getByRole('img', { name: /process 1\d\d(\.\d)? ms/ })).toBeVisible();
  await saveScreenshot(page, 'overview');
});

test('tasks table lists the requests, and a task opens as a waterfall with the server delay as its process bar', async ({
  page,
}) => {
  await page.goto(`${e2e.consoleUrl()}/tasks?range=15m&kinds=R&localPort=${e2e.slowPort()}`);
  const rows = page.getByTestId('tasks-table').locator('tbody tr');
  await expect(rows).toHaveCount(SESSIONS * REQUESTS_PER_SESSION);
  for (const row of await rows.all()) {
    await expect(row).toContainText(`127.0.0.1:${e2e.slowPort()}`);
    await expect(row).toContainText(`${REQUEST_BYTES} B`);
  }
  await saveScreenshot(page, 'tasks');

  await rows.first().getByRole('link').first().click();
  await expect(page).toHaveURL(/\/tasks\/\d+/);
  const processValue = page.locator('[data-phase="process"]');
  await expect(processValue).toBeVisible();
  const processUs = Number(await processValue.getAttribute('data-us'));
  // The server sleeps 150 ms after the last request byte: process time ≥ that, plus only a little scheduling slack.
  expect(processUs).toBeGreaterThanOrEqual(SERVER_DELAY_MS * 1000);
  expect(processUs).toBeLessThan((SERVER_DELAY_MS + 40) * 1000);
  await expect(page.getByTestId('task-verdict')).toContainText('server processing');
  // The process bar spans nearly the whole task on the drawn axis: compare the orange bar to the whole-task bar.
  const waterfall = page.getByRole('img', { name: 'Task waterfall' });
  const processBars = waterfall.locator(
    'path[fill="var(--phase-process)"], rect[fill="var(--phase-process)"]',
  );
  await expect(processBars).toHaveCount(2);
  const [wholeRowProcess, processRow] = [
    await processBars.nth(0).boundingBox(),
    await processBars.nth(1).boundingBox(),
  ];
  expect(wholeRowProcess && processRow).toBeTruthy();
  expect(Math.abs(wholeRowProcess!.width - processRow!.width)).toBeLessThan(2);
  await saveScreenshot(page, 'task');
});

test('connection timeline shows its tasks and its close record', async ({ page }) => {
  const [first] = await agentRecords({
    localPort: e2e.slowPort(),
    kinds: 'R',
    sort: 'time',
    order: 'asc',
    limit: 1,
    fromMs: Date.now() - 900_000,
  });
  expect(first).toBeDefined();
  await page.goto(`${e2e.consoleUrl()}/tasks/${first!.id}`);
  await page.getByRole('link', { name: /Connection #\d+ timeline/ }).click();
  await expect(page).toHaveURL(/\/connections\/\d+/);
  const table = page.getByTestId('connection-records');
  await expect(table.locator('tbody tr')).toHaveCount(REQUESTS_PER_SESSION + 1);
  await expect(table.locator('tbody tr').last()).toContainText('connection closed');
  await expect(page.getByTestId('close-meaning')).toContainText(
    `Closed normally (E) after ${REQUESTS_PER_SESSION} tasks`,
  );
  await expect(page.getByRole('img', { name: 'Connection timeline' })).toBeVisible();
  await saveScreenshot(page, 'connection');
});

test('a connection closed while sending shows up under close reasons, one click from its connection', async ({
  page,
}) => {
  await page.goto(`${e2e.consoleUrl()}/close-reasons?range=15m`);
  const panel = page.getByTestId(`close-reasons-${e2e.bigPort()}`);
  await expect(panel.getByTestId('while-sending')).toHaveText('1 while sending (W)');
  await expect(
    page.getByTestId(`close-reasons-${e2e.slowPort()}`).getByTestId('while-receiving'),
  ).toHaveText('1 while receiving (N)');
  await saveScreenshot(page, 'close-reasons');
  await panel.getByRole('link', { name: /connection #\d+/ }).click();
  await expect(page.getByTestId('close-meaning')).toContainText(
    'Closed while the response was still being sent (W)',
  );
  await saveScreenshot(page, 'connection-closed-while-sending');
});

test('port trends chart the tracked port', async ({ page }) => {
  await page.goto(`${e2e.consoleUrl()}/trends?range=15m&port=${e2e.slowPort()}`);
  await expect(
    page.getByRole('heading', { name: `Port trends · ${SLOW_PORT_NAME} (:${e2e.slowPort()})` }),
  ).toBeVisible();
  for (const name of [
    'Total time p50, p90, p99',
    'Average upload, process and download time, stacked',
    'Task count per bucket',
    'Retransmit and fail permille',
    'Average min RTT',
  ]) {
    await expect(page.getByRole('img', { name })).toBeVisible();
  }
  await saveScreenshot(page, 'trends');
});

test('an invalid rule is refused with the message at the field', async ({ page }) => {
  await page.addInitScript(
    (token) => sessionStorage.setItem('tcprt.agentToken', token),
    e2e.token(),
  );
  const rulesNow = async () =>
    ((await (await fetch(`${e2e.agentUrl()}/api/config/rules`)).json()) as { rules: unknown[] })
      .rules;
  const before = await rulesNow();
  await page.goto(`${e2e.consoleUrl()}/config`);
  const form = page.getByRole('form', { name: 'Add rule' });
  const port = form.getByRole('textbox', { name: /Port/ });
  await port.fill('70000');
  await form.getByRole('button', { name: 'Add rule' }).click();
  await expect(port).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByRole('alert')).toHaveText('expected a port 1..65535, got 70000');
  // A rule the contract accepts but the file does not: it duplicates the slow port's rule.
  await port.fill(String(e2e.slowPort()));
  await form.getByRole('button', { name: 'Add rule' }).click();
  await expect(form.getByRole('alert')).toHaveText(
    `local port ${e2e.slowPort()} duplicates per-port[0]`,
  );
  // Neither was added.
  expect(await rulesNow()).toEqual(before);
  await saveScreenshot(page, 'config-invalid-rule');
});

test('adding a port rule in the configuration page makes new connections on that port appear', async ({
  page,
}) => {
  const newPort = e2e.newPort();
  const server = await startDelayServer({ port: newPort, delayMs: 20, responseBytes: 500 });
  try {
    // Before the rule: not tracked.
    await keepAliveSession(newPort, { requests: 2, requestBytes: 50, responseBytes: 500 });
    await page.addInitScript(
      (token) => sessionStorage.setItem('tcprt.agentToken', token),
      e2e.token(),
    );
    await page.goto(`${e2e.consoleUrl()}/config`);
    const form = page.getByRole('form', { name: 'Add rule' });
    await form.getByRole('textbox', { name: /Port/ }).fill(String(newPort));
    await form.getByRole('combobox', { name: 'Mode' }).selectOption('http');
    await form.getByRole('button', { name: 'Add rule' }).click();
    await expect(
      page.getByTestId('rules-table').locator(`tr[data-rule-port="${newPort}"]`),
    ).toContainText('http');
    await expect(page.getByLabel('tcprt.yaml text')).toHaveValue(new RegExp(`port: ${newPort}`));
    // The edit went into the operator's file, not over it: its comment is still there.
    await expect(page.getByLabel('tcprt.yaml text')).toHaveValue(
      new RegExp(`\\n  ${CONFIG_COMMENT}\\n  - port: ${e2e.slowPort()}\\n`),
    );
    await saveScreenshot(page, 'config');

    await keepAliveSession(newPort, { requests: 3, requestBytes: 50, responseBytes: 500 });
    await waitForRecords({ localPort: newPort, kinds: 'R' }, 3);
    await page.goto(`${e2e.consoleUrl()}/tasks?range=15m&localPort=${newPort}&kinds=R`);
    const rows = page.getByTestId('tasks-table').locator('tbody tr');
    // Only the three requests made after the rule: the two before it were not tracked.
    await expect(rows).toHaveCount(3);
    await expect(rows.first()).toContainText('R');
  } finally {
    await server.close();
  }
});

test('downloading the raw log gives its lines', async ({ page }) => {
  await page.goto(`${e2e.consoleUrl()}/logs`);
  await saveScreenshot(page, 'logs');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-log').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^tcprt-log-.*\.txt$/);
  const text = readFileSync(await download.path(), 'ascii');
  const lines = text.split('\n').filter(Boolean);
  const records = lines.map((l) => parseLogLine(`${l}\n`));
  const onSlowPort = records.filter((r) => r.type === 'R' && r.local.port === e2e.slowPort());
  expect(onSlowPort).toHaveLength(SESSIONS * REQUESTS_PER_SESSION);
  expect(records.some((r) => r.type === 'W' && r.local.port === e2e.bigPort())).toBe(true);
});

test('status shows a healthy collector', async ({ page }) => {
  await page.goto(`${e2e.consoleUrl()}/status`);
  await expect(page.getByRole('heading', { name: 'Everything is being recorded' })).toBeVisible();
  await expect(page.getByTestId('lost-records')).toHaveText('0');
  await saveScreenshot(page, 'status');
});

test('keyboard alone reaches the navigation and applies a filter', async ({ page }) => {
  await page.goto(`${e2e.consoleUrl()}/?range=15m`);
  await expect(page.getByTestId(`port-card-${e2e.slowPort()}`)).toBeVisible();
  const tasksLink = page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Tasks' });
  for (let i = 0; i < 10 && !(await tasksLink.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press('Tab');
  await expect(tasksLink).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/tasks\?range=15m/);
  const localPort = page.getByRole('textbox', { name: 'Local port' });
  await localPort.focus();
  await page.keyboard.type(String(e2e.bigPort()));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`localPort=${e2e.bigPort()}`));
  await expect(page.getByTestId('tasks-table').locator('tbody tr')).toHaveCount(1);
});

test('the layout holds on a narrow screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [path, name] of [
    ['/?range=15m', 'overview-narrow'],
    [`/tasks?range=15m&localPort=${e2e.slowPort()}`, 'tasks-narrow'],
  ] as const) {
    await page.goto(`${e2e.consoleUrl()}${path}`);
    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }),
    ).toBeVisible();
    await page.waitForLoadState('networkidle');
    // Wide tables scroll inside their own box; the page itself never scrolls sideways.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await saveScreenshot(page, name);
  }
});

test('deactivated tracking is flagged on every page until it is turned back on', async ({
  page,
}) => {
  await page.addInitScript(
    (token) => sessionStorage.setItem('tcprt.agentToken', token),
    e2e.token(),
  );
  await page.goto(`${e2e.consoleUrl()}/status`);
  // The button asks first: dismissing the question leaves tracking on.
  let question = '';
  page.once('dialog', (d) => {
    question = d.message();
    void d.dismiss();
  });
  await page.getByRole('button', { name: 'Deactivate tracking' }).click();
  expect(question).toContain('Deactivate tracking?');
  await expect(page.getByRole('button', { name: 'Deactivate tracking' })).toBeVisible();
  await expect(page.getByTestId('health-banner')).toHaveCount(0);
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Deactivate tracking' }).click();
  const banner = page.getByTestId('health-banner');
  await expect(banner).toContainText('tracking is deactivated');
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Overview' })
    .click();
  await expect(page.getByTestId('health-banner')).toContainText('tracking is deactivated');
  await saveScreenshot(page, 'overview-deactivated');
  await page.goto(`${e2e.consoleUrl()}/status`);
  await page.getByRole('button', { name: 'Activate tracking' }).click();
  await expect(page.getByTestId('health-banner')).toHaveCount(0);
});
