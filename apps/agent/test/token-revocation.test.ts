import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from './fixtures/agent-harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('per-port: []\n');
});
afterAll(async () => {
  await h.stop();
  await h.dir.remove();
});

const addRule = (token: string) =>
  fetch(`${h.agent.url}/api/config/rules`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ rule: { port: 9000 + Math.floor(Math.random() * 1000) } }),
  });

it('revokes the token when its file is deleted and takes a new one written there', async () => {
  const first = h.agent.token;
  expect((await addRule(first)).status).toBe(200);
  const file = path.join(h.dataDir, 'token');
  rmSync(file);
  expect((await addRule(first)).status).toBe(401);
  const second = randomBytes(32).toString('hex');
  writeFileSync(file, `${second}\n`, { mode: 0o600 });
  expect((await addRule(first)).status).toBe(401);
  expect((await addRule(second)).status).toBe(200);
});
