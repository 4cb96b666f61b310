import { expect, test } from '@playwright/test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startNginx, type NginxServer } from '@tcprt/testkit/nginx';
import { waitForRecords } from './support/agent-api';
import { e2e } from './support/e2e-env';
import { saveScreenshot } from './support/screenshot';

// Issue 20's Must-show in the console: nginx on a port tracked in http mode (global-setup) serves
// /fast itself, proxies /slow/{id} to an upstream that answers after 100 ms, answers 404 for a
// path it does not have and 503 on /broken. Real requests through the real collector; the
// Endpoints page must list one row per route with the right status and 5xx share, a route's link
// must open its tasks slowest first, and the task page must show the request.
const UPSTREAM_DELAY_MS = 100;
const REQUESTS = { fast: 40, slow: 20, missing: 10, broken: 5 };
const TOTAL_REQUESTS = REQUESTS.fast + REQUESTS.slow + REQUESTS.missing + REQUESTS.broken;

test.describe.configure({ mode: 'serial' });
test.skip(e2e.skipReason() !== undefined, e2e.skipReason());

let nginx: NginxServer;
let upstream: http.Server;
/** A window around the traffic. */
let traffic: { fromMs: number; toMs: number };

/** GETs the paths one after another on one keep-alive connection, then closes it. */
async function getAll(port: number, paths: string[]): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const statuses: number[] = [];
  for (const path of paths) {
    statuses.push(
      await new Promise<number>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path, agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          })
          .on('error', reject);
      }),
    );
  }
  // The last task's record is written when its connection closes.
  agent.destroy();
  return statuses;
}

test.beforeAll(async () => {
  upstream = http.createServer((_req, res) => {
    setTimeout(() => res.end('slow\n'), UPSTREAM_DELAY_MS);
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamPort = (upstream.address() as AddressInfo).port;
  nginx = await startNginx({
    port: e2e.endpointsPort(),
    files: {},
    serverDirectives: [
      '    location = /fast { return 200 "fast\\n"; }',
      '    location = /broken { return 503; }',
      '    location /slow/ {',
      `      proxy_pass http://127.0.0.1:${upstreamPort};`,
      '      proxy_http_version 1.1;',
      '      proxy_set_header Connection "";',
      '    }',
    ].join('\n'),
  });
  const fromMs = Date.now() - 1000;
  const paths = [
    ...Array.from({ length: REQUESTS.fast }, () => '/fast?query=dropped'),
    ...Array.from({ length: REQUESTS.slow }, (_, i) => `/slow/${1000 + i}`),
    ...Array.from({ length: REQUESTS.missing }, () => '/missing'),
    ...Array.from({ length: REQUESTS.broken }, () => '/broken'),
  ];
  const statuses = await getAll(nginx.port, paths);
  expect(statuses.filter((s) => s === 200)).toHaveLength(REQUESTS.fast + REQUESTS.slow);
  await waitForRecords(
    { localPort: nginx.port, kinds: 'R', fromMs, toMs: Date.now() + 1000, limit: 500 },
    TOTAL_REQUESTS,
  );
  traffic = { fromMs, toMs: Date.now() + 1000 };
});

test.afterAll(async () => {
  await nginx?.stop();
  await new Promise((resolve) => upstream?.close(resolve));
});

const endpointsUrl = () =>
  `${e2e.consoleUrl()}/endpoints?port=${nginx.port}&from=${traffic.fromMs}&to=${traffic.toMs}`;

test('the Endpoints view lists each route once, with its status and 5xx share', async ({
  page,
}) => {
  await page.goto(endpointsUrl());
  const rows = page.getByTestId('endpoint-row');
  await expect(rows).toHaveCount(4);
  const row = (method: string, route: string) =>
    page.locator(`[data-testid="endpoint-row"][data-method="${method}"][data-route="${route}"]`);

  // Busiest first; one row for every /slow/<id>.
  await expect(rows.first()).toHaveAttribute('data-route', '/fast');
  const slow = row('GET', '/slow/{n}');
  await expect(slow.locator('[data-column="count"]')).toHaveText(String(REQUESTS.slow));
  await expect(row('GET', '/fast').locator('[data-column="count"]')).toHaveText(
    String(REQUESTS.fast),
  );
  // p50 total of the proxied route: the upstream's 100 ms, within 10 %.
  const slowP50Us = Number(await slow.locator('[data-column="p50"]').getAttribute('data-us'));
  expect(Math.abs(slowP50Us - UPSTREAM_DELAY_MS * 1000)).toBeLessThan(UPSTREAM_DELAY_MS * 100);
  const fastP50Us = Number(
    await row('GET', '/fast').locator('[data-column="p50"]').getAttribute('data-us'),
  );
  expect(fastP50Us).toBeLessThan(20_000);

  const missing = row('GET', '/missing');
  await expect(missing.locator('[data-column="status"]')).toHaveText(`404 ×${REQUESTS.missing}`);
  await expect(missing.locator('[data-column="errors"]')).toHaveText('0 %');
  const broken = row('GET', '/broken');
  await expect(broken.locator('[data-column="status"]')).toHaveText(`503 ×${REQUESTS.broken}`);
  await expect(broken.locator('[data-column="errors"]')).toHaveText('100 %');
  await expect(slow.locator('[data-column="status"]')).toHaveText(`200 ×${REQUESTS.slow}`);

  // Sorting by p99 puts the slow route on top, and the URL keeps it.
  await page.getByRole('button', { name: /^p99 total/ }).click();
  await expect(page).toHaveURL(/sort=p99/);
  await expect(rows.first()).toHaveAttribute('data-route', '/slow/{n}');
  await saveScreenshot(page, 'endpoints');
});

test("a route opens its tasks slowest first; a task shows its request's method, path and status", async ({
  page,
}) => {
  await page.goto(endpointsUrl());
  await page
    .locator('[data-testid="endpoint-row"][data-route="/slow/{n}"]')
    .getByRole('link')
    .click();
  await expect(page).toHaveURL(/\/tasks\?.*method=GET/);
  await expect(page).toHaveURL(/route=%2Fslow%2F%7Bn%7D/);
  await expect(page.getByTestId('tasks-match-count')).toHaveText(`${REQUESTS.slow} matching`);
  const table = page.getByTestId('tasks-table');
  await expect(table.locator('tbody tr')).toHaveCount(REQUESTS.slow);
  await expect(table.locator('[data-column="route"]')).toHaveText(
    Array(REQUESTS.slow).fill('/slow/{n}'),
  );
  await expect(table.locator('[data-column="status"]')).toHaveText(
    Array(REQUESTS.slow).fill('200'),
  );
  const totals = (
    await table
      .locator('td[data-column="total"]')
      .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-us'))))
  ).filter(Number.isFinite);
  expect(totals).toHaveLength(REQUESTS.slow);
  expect(totals).toEqual([...totals].sort((a, b) => b - a));
  // Hovering a route shows the request's own path.
  await expect(table.locator('[data-column="route"]').first()).toHaveAttribute(
    'title',
    /^\/slow\/10\d\d$/,
  );

  await table.locator('tbody tr').first().locator('td').first().getByRole('link').click();
  const request = page.getByTestId('task-http');
  await expect(request.locator('[data-field="method"]')).toHaveText('GET');
  await expect(request.locator('[data-field="path"]')).toHaveText(/^\/slow\/10\d\d$/);
  await expect(request.locator('[data-field="truncated"]')).toHaveCount(0);
  await expect(request.locator('[data-field="status"]')).toHaveText('200');
  await saveScreenshot(page, 'task-http');
});

test('a port without HTTP requests says why; the view holds at 390 px in the dark scheme', async ({
  page,
}) => {
  // The slow port is tracked in the default mode: its tasks (if console.spec ran first) carry no
  // request.
  await page.goto(`${e2e.consoleUrl()}/endpoints?port=${e2e.slowPort()}&range=1h`);
  await expect(page.getByTestId('endpoints-empty')).toContainText(
    /No (HTTP requests|tasks) on .*:\d+/,
  );
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(endpointsUrl());
  await expect(page.getByTestId('endpoint-row')).toHaveCount(4);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await saveScreenshot(page, 'endpoints-narrow-dark');
});
