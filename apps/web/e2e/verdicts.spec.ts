import { expect, test } from '@playwright/test';
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { startNginx, type NginxServer } from '@tcprt/testkit/nginx';
import { waitForRecords } from './support/agent-api';
import { e2e } from './support/e2e-env';
import { saveScreenshot } from './support/screenshot';

// Issue 14's verdict end to end: nginx (http mode) in front of an upstream that answers after
// UPSTREAM_DELAY_MS; the client gives up CLIENT_TIMEOUT_MS after sending a complete GET. The
// console must blame the server (it had the whole request and did not answer in time), not the
// upload.
const UPSTREAM_DELAY_MS = 300;
const CLIENT_TIMEOUT_MS = 100;
/** The page rounds to three significant figures; the loaded machine can make the client late. */
const WAIT_TOLERANCE_MS = 10;

test.describe.configure({ mode: 'serial' });
// These specs need the real agent global-setup starts: skipped, with its reason, where it cannot.
test.skip(e2e.skipReason() !== undefined, e2e.skipReason());

let upstream: http.Server;
let nginx: NginxServer;
/** How long the client waited between sending its request and closing, by its own clock. */
let clientWaitedMs = 0;

test.beforeAll(async () => {
  upstream = http.createServer((_req, res) => {
    setTimeout(() => res.end('late answer\n'), UPSTREAM_DELAY_MS);
  });
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  const upstreamPort = (upstream.address() as net.AddressInfo).port;
  nginx = await startNginx({
    port: e2e.gaveUpPort(),
    files: {},
    serverDirectives: `    location / { proxy_pass http://127.0.0.1:${upstreamPort}; }\n`,
  });
  const socket = net.connect(nginx.port, '127.0.0.1');
  await once(socket, 'connect');
  let answered = false;
  socket.on('data', () => (answered = true));
  const sentAt = performance.now();
  socket.write('GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n');
  await new Promise((r) => setTimeout(r, CLIENT_TIMEOUT_MS));
  socket.destroy(); // the client's FIN: it gives up
  clientWaitedMs = performance.now() - sentAt;
  expect(answered, 'the upstream answered before the client gave up').toBe(false);
  await waitForRecords({ localPort: nginx.port, kinds: 'E' }, 1);
});

test.afterAll(async () => {
  await nginx?.stop();
  upstream?.close();
});

test('a client that gives up on a slow server: the task verdict names the server, the connection says the peer gave up', async ({
  page,
}) => {
  const [unanswered] = await waitForRecords({ localPort: nginx.port, kinds: 'N' }, 1);
  expect(unanswered).toBeDefined();
  const [closing] = await waitForRecords({ localPort: nginx.port, kinds: 'E' }, 1);
  expect(closing!.connectionId).toBe(unanswered!.connectionId);
  expect(closing!.closeReason).toBe('peer_gave_up');
  expect(closing!.close).toMatchObject({ first: 'fin_received', phase: 'processing' });

  await page.goto(`${e2e.consoleUrl()}/tasks/${unanswered!.id}`);
  const verdict = page.getByTestId('task-verdict');
  await expect(verdict).toContainText('The server did not answer in time');
  const text = (await verdict.textContent()) ?? '';
  expect(text).not.toContain('receiving the request');
  const waited = /the client gave up after waiting ([\d.]+) ms/.exec(text);
  expect(waited, text).not.toBeNull();
  const waitedMs = Number(waited![1]);
  console.log(
    `verdict: ${text} (client's own clock: ${clientWaitedMs.toFixed(1)} ms; kernel ${closing!.close!.phaseUs} µs)`,
  );
  // The client's clock starts before its request is sent, the kernel's wait when the request
  // is complete: the wait may read a little under the timeout, never 10 ms off it.
  expect(Math.abs(waitedMs - clientWaitedMs)).toBeLessThanOrEqual(WAIT_TOLERANCE_MS);
  expect(Math.abs(waitedMs - CLIENT_TIMEOUT_MS)).toBeLessThanOrEqual(WAIT_TOLERANCE_MS);
  await saveScreenshot(page, 'task-peer-gave-up');

  await page.getByRole('link', { name: /Connection #\d+ timeline/ }).click();
  await expect(page).toHaveURL(new RegExp(`/connections/${unanswered!.connectionId}$`));
  const meaning = page.getByTestId('close-meaning');
  await expect(meaning).toContainText(
    'The client closed (FIN) while the server was processing a complete request',
  );
  await expect(meaning).toContainText('Close reason: peer gave up while the server processed.');
  await saveScreenshot(page, 'connection-peer-gave-up');

  await page.goto(`${e2e.consoleUrl()}/close-reasons?range=15m`);
  await expect(
    page.getByTestId(`close-reasons-${nginx.port}`).getByTestId('close-reasons'),
  ).toContainText('1 peer gave up while the server processed');
});
