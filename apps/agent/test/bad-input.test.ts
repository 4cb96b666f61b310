import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startHarness, type Harness } from './fixtures/agent-harness';
import { rRecord } from './fixtures/records';

let h: Harness;
let auth: Record<string, string>;

beforeAll(async () => {
  h = await startHarness('per-port:\n  - port: 8080\n');
  auth = { authorization: `Bearer ${h.agent.token}` };
  h.collector.emit(
    rRecord(
      Date.now() * 1000,
      { local: 8080, peer: 40000 },
      { uploadUs: 1, processUs: 2, downloadUs: 3 },
    ),
  );
  await h.agent.flush();
});

afterAll(async () => {
  await h.stop();
  await h.dir.remove();
});

const q = (input: unknown) => `?input=${encodeURIComponent(JSON.stringify(input))}`;
const huge = '9'.repeat(400);
const inject = '1; DROP TABLE records; --';

/** [method, path, body?, authorized?]: every one is malformed and must get a 4xx with a reason. */
const BAD_CALLS: [string, string, unknown?, boolean?][] = [
  ['GET', '/api/records?limit=abc'],
  ['GET', '/api/records?limit=0'],
  ['GET', '/api/records?limit=100000'],
  ['GET', `/api/records?limit=${huge}`],
  ['GET', '/api/records?fromMs=-5'],
  ['GET', '/api/records?fromMs=99999999999999999'],
  ['GET', '/api/records?fromMs=2000&toMs=1000'],
  ['GET', '/api/records?fromMs=0&toMs=32503680000000'],
  ['GET', `/api/records?kinds=${encodeURIComponent("R' OR 1=1 --")}`],
  ['GET', '/api/records?kinds=X'],
  ['GET', `/api/records?localPort=${encodeURIComponent(inject)}`],
  ['GET', '/api/records?localPort=70000'],
  ['GET', '/api/records?peerAddr=999.1.1.1'],
  ['GET', `/api/records?peerAddr=${encodeURIComponent("127.0.0.1' --")}`],
  ['GET', '/api/records?sort=drop'],
  ['GET', '/api/records?order=sideways'],
  ['GET', '/api/records?cursor=not-a-cursor'],
  ['GET', `/api/records?cursor=${'A'.repeat(500)}`],
  ['GET', '/api/records?minTotalUs=-1'],
  ['GET', '/api/records?unknownField=1'],
  ['GET', '/api/records/abc'],
  ['GET', '/api/records/0'],
  ['GET', `/api/records/${huge}`],
  ['GET', '/api/records/424242'],
  ['GET', '/api/connections/-3'],
  ['GET', '/api/stats/series?port=8080'],
  ['GET', '/api/stats/series?port=8080&fromMs=0&toMs=60000&bucketSec=61'],
  ['GET', '/api/stats/series?port=8080&fromMs=0&toMs=31536000000&bucketSec=60'],
  ['GET', '/api/stats/series?port=8080&fromMs=0&toMs=60000&side=both'],
  ['GET', '/api/stats/close-reasons?fromMs=10&toMs=5'],
  ['GET', '/api/raw/log?fromMs=yesterday'],
  ['GET', '/api/raw/stats?toMs=1&fromMs=2'],
  ['GET', '/api/raw/log?file=../../etc/passwd'],
  ['PUT', '/api/config', { yaml: 42 }, true],
  ['PUT', '/api/config', { yaml: 'x'.repeat(300_000) }, true],
  ['PUT', '/api/config', { yaml: 'per-port: [' }, true],
  ['PUT', '/api/config', { yaml: 'global:\n  stats_interval: -1\n' }, true],
  ['PUT', '/api/config', { yaml: 'per-port: []\n', extra: true }, true],
  ['PUT', '/api/config', '{"yaml": ', true],
  ['POST', '/api/config/rules', { rule: { port: 0 } }, true],
  ['POST', '/api/config/rules', { rule: { port: '90,80' } }, true],
  ['POST', '/api/config/rules', { rule: { port: 8080 } }, true],
  ['POST', '/api/config/rules', { rule: { port: 8081, mode: 'gopher' } }, true],
  ['POST', '/api/config/rules', { rule: { port: 8081, peer: 'false' } }, true],
  ['POST', '/api/config/rules', { rule: { port: inject } }, true],
  ['POST', '/api/config/rules', [1, 2, 3], true],
  ['PUT', '/api/config/rules/99', { rule: { port: 8082 } }, true],
  ['PUT', '/api/config/rules/x', { rule: { port: 8082 } }, true],
  ['DELETE', '/api/config/rules/-1', undefined, true],
  ['PATCH', '/api/config/global', { global: { stats: 'sometimes' } }, true],
  ['PATCH', '/api/config/global', { global: { first_frame_bytes: [1, 2, 3, 4, 5] } }, true],
  ['PATCH', '/api/config/global', { global: { stats_interval: 1e300 } }, true],
  ['PATCH', '/api/config/init', { init: { log_buf_num: 0 } }, true],
  ['PATCH', '/api/config/init', { init: { log_buf_size: 'big' } }, true],
  ['POST', '/api/collector/active', { active: 'false' }, true],
  ['POST', '/api/collector/active', { active: false }, false],
  ['POST', '/api/config/validate', { yaml: ['not', 'text'] }],
  ['GET', `/trpc/records.list${q({ limit: -1 })}`],
  ['GET', `/trpc/records.get${q({ id: 'one' })}`],
  ['GET', '/trpc/records.list?input=%7Bnot-json'],
  ['GET', '/trpc/records.nonexistent'],
  ['POST', '/trpc/config.replace', { yaml: 'per-port: []\n' }, false],
  ['POST', '/trpc/config.rules.add', { rule: { port: 1e9 } }, true],
  ['GET', '/api/no/such/path'],
];

it(`answers ${BAD_CALLS.length} malformed calls with a 4xx and a reason, and keeps running`, async () => {
  expect(BAD_CALLS.length).toBeGreaterThanOrEqual(30);
  const before = readFileSync(h.configPath, 'utf8');
  const failures: string[] = [];
  for (const [method, path, body, authorized] of BAD_CALLS) {
    const res = await fetch(h.agent.url + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(authorized ? auth : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status < 400 || res.status >= 500 || text.length === 0)
      failures.push(`${method} ${path.slice(0, 80)} → ${res.status} ${text.slice(0, 120)}`);
  }
  expect(failures).toEqual([]);
  // Nothing malformed got through to the file, and the agent still answers.
  expect(readFileSync(h.configPath, 'utf8')).toBe(before);
  const status = await fetch(`${h.agent.url}/api/status`);
  expect(status.status).toBe(200);
  expect(((await status.json()) as { database: { records: number } }).database.records).toBe(1);
});
