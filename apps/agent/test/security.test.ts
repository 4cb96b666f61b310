import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from './fixtures/agent-harness';

/** Off loopback the token guards every request, reads included. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness('per-port: []\n', undefined, '0.0.0.0');
});
afterAll(async () => {
  await h.stop();
  await h.dir.remove();
});

it('refuses every request without the token when listening beyond loopback', async () => {
  const url = h.agent.localUrl;
  for (const p of [
    '/api/status',
    '/api/records',
    '/openapi.json',
    '/api/raw/log',
    '/metrics',
    `/trpc/status.get?input=${encodeURIComponent('{}')}`,
  ]) {
    const res = await fetch(url + p);
    expect(res.status, p).toBe(401);
  }
  const wrong = await fetch(`${url}/api/status`, {
    headers: { authorization: `Bearer ${'0'.repeat(64)}` },
  });
  expect(wrong.status).toBe(401);
  const ok = await fetch(`${url}/api/status`, {
    headers: { authorization: `Bearer ${h.agent.token}` },
  });
  expect(ok.status).toBe(200);
});
