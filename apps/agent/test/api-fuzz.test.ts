import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from './fixtures/agent-harness';

/*
 * The API under a seeded fuzzer: 10,000 malformed calls (wrong methods, paths, query values,
 * bodies, headers, nesting, sizes) must each get a 4xx or a 2xx, never a 5xx or a hang, while
 * status keeps answering quickly.
 */
const CALLS = 10_000;
const IN_FLIGHT = 16;
const SEED = 0x7c_97_2a;

let h: Harness;
beforeAll(async () => {
  h = await startHarness('per-port:\n  - port: 8080\n');
});
afterAll(async () => {
  await h.stop();
  await h.dir.remove();
});

/** mulberry32: a small seeded PRNG, so a failing call can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Call {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

function generator(seed: number, token: string, restPaths: string[], procedures: string[]) {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const int = (max: number) => Math.floor(random() * max);
  const junkValues = [
    '',
    '-1',
    '0',
    '1e309',
    'NaN',
    'null',
    'true',
    '9'.repeat(400),
    '%00',
    '%ff%fe',
    '../../etc/passwd',
    "'; DROP TABLE records;--",
    '<script>',
    '[]',
    '{}',
    'a'.repeat(5000),
    '1.5',
    '-0',
    '0x10',
    '2026-13-45',
  ];
  const jsonJunk = (): unknown =>
    pick([
      () => null,
      () => int(2) === 0,
      () => random() * 1e308 * (int(2) ? 1 : -1),
      () => pick(junkValues),
      () => Array.from({ length: int(5) }, jsonJunk),
      () =>
        Object.fromEntries(
          Array.from({ length: int(4) }, () => [
            pick([
              'port',
              'yaml',
              'rule',
              'index',
              'global',
              'init',
              'active',
              'limit',
              '__proto__',
              'constructor',
            ]),
            jsonJunk(),
          ]),
        ),
    ])();
  const bodies: (() => string | Buffer)[] = [
    () => JSON.stringify(jsonJunk()),
    () => '{"yaml":' + JSON.stringify(`per-port:\n${'  - port: 1\n'.repeat(int(3000))}`) + '}',
    () => '['.repeat(1000 + int(10_000)) + ']'.repeat(int(2) ? 0 : 11_000),
    () => '{"a":'.repeat(100 + int(6000)) + '1' + '}'.repeat(6000),
    () => '{"yaml": "a: 1\\n---\\nb: 2\\n"}',
    () => '{"yaml": "' + 'x'.repeat(300_000) + '"}',
    () => Buffer.from(Array.from({ length: int(512) }, () => int(256))),
    () => '{"rule": {"port": 70000}}',
    () => '{"global": {"stats_interval": 2147484}}',
    () => '{"init": {"log_buf_size": 9007199254740991}}',
    () => '{',
    () => '',
    () => '{"json": ' + JSON.stringify(jsonJunk()) + '}',
  ];
  const contentTypes = [
    'application/json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/json; charset=utf-16',
    '',
    'application/JSON',
  ];
  return (): Call => {
    const method = pick([
      'GET',
      'GET',
      'POST',
      'POST',
      'PUT',
      'PATCH',
      'DELETE',
      'OPTIONS',
      'HEAD',
      'TRACE',
      'PROPFIND',
      'CONNECT',
    ]);
    let path = pick([
      () =>
        pick(restPaths).replace(/\{[^}]+\}/g, () =>
          encodeURIComponent(pick([...junkValues, String(int(5))])),
        ),
      () => `/trpc/${pick(procedures)}`,
      () => `/trpc/${pick(procedures)}?input=${encodeURIComponent(JSON.stringify(jsonJunk()))}`,
      () =>
        `/trpc/${pick(procedures)},${pick(procedures)}?batch=1&input=${encodeURIComponent(pick(junkValues))}`,
      () => `/api/${encodeURIComponent(pick(junkValues))}`,
      () => pick(['/api/raw/log', '/api/raw/stats', '/openapi.json', '/', '/trpc', '/api']),
      () => `/${'a/'.repeat(int(200))}`,
    ])();
    if (method !== 'CONNECT' && int(2) === 0) {
      const params = Array.from(
        { length: 1 + int(4) },
        () =>
          `${pick(['limit', 'fromMs', 'toMs', 'localPort', 'port', 'kinds', 'order', 'cursor', 'minProcessUs', 'bucketSec', 'peer', 'file', 'input', 'x'])}=${encodeURIComponent(pick(junkValues))}`,
      );
      path += (path.includes('?') ? '&' : '?') + params.join('&');
    }
    if (method === 'CONNECT') path = `127.0.0.1:${int(65536)}`;
    const headers: Record<string, string> = {};
    const type = pick(contentTypes);
    if (type) headers['content-type'] = type;
    const auth = int(4);
    if (auth === 0) headers.authorization = `Bearer ${token}`;
    else if (auth === 1)
      headers.authorization = pick([
        'Bearer',
        'Bearer x',
        'Basic YTpi',
        `Bearer ${token}x`,
        'bearer ' + token,
      ]);
    if (int(8) === 0)
      headers.host = pick([
        'attacker.example',
        'localhost.',
        '[::1]:1',
        '127.0.0.1:99999',
        'a:b:c',
        '',
      ]);
    if (int(8) === 0)
      headers.origin = pick(['http://evil.example', 'null', 'http://127.0.0.1:7070']);
    if (int(10) === 0) headers['trpc-accept'] = pick(['application/jsonl', 'x']);
    const call: Call = { method, path, headers };
    if (!['GET', 'HEAD', 'CONNECT'].includes(method) || int(10) === 0) call.body = pick(bodies)();
    return call;
  };
}

function send(url: URL, call: Call, agent: http.Agent): Promise<{ code: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: call.method,
        path: call.path,
        headers: call.headers,
        agent,
        timeout: 10_000,
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          if (text.length < 300) text += chunk.toString();
        });
        res.on('end', () => resolve({ code: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`no answer within 10 s: ${call.method} ${call.path.slice(0, 120)}`)),
    );
    // The server may answer (413, 405) and close before the whole body is sent; Node's server
    // closes a CONNECT it has no handler for without an HTTP answer. Counted apart, not as errors.
    req.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.code?.startsWith('HPE_')
        ? resolve({ code: -1, text: err.code })
        : reject(err),
    );
    req.end(call.body);
  });
}

it(`answers ${CALLS} generated malformed calls with no 5xx while status stays fast`, async () => {
  const url = new URL(h.agent.url);
  const doc = (await (await fetch(`${h.agent.url}/openapi.json`)).json()) as {
    paths: Record<string, unknown>;
  };
  const restPaths = Object.keys(doc.paths).map((p) => `/api${p}`);
  const procedures = [
    'status.get',
    'status.rawFiles',
    'status.setActive',
    'config.get',
    'config.replace',
    'config.validate',
    'config.setGlobal',
    'config.setInit',
    'config.rules.list',
    'config.rules.add',
    'config.rules.update',
    'config.rules.remove',
    'records.list',
    'records.get',
    'records.connection',
    'records.tail',
    'stats.series',
    'stats.ports',
    'stats.closeReasons',
    'nope',
    '__proto__',
  ];
  const next = generator(SEED, h.agent.token, restPaths, procedures);
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });

  const statusMs: number[] = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const started = performance.now();
      const res = await fetch(`${h.agent.url}/api/status`);
      await res.text();
      statusMs.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();

  const serverErrors: string[] = [];
  const counts = new Map<number, number>();
  let sent = 0;
  const worker = async () => {
    while (sent < CALLS) {
      sent++;
      const call = next();
      const { code, text } = await send(url, call, agent);
      counts.set(code, (counts.get(code) ?? 0) + 1);
      if (code >= 500)
        serverErrors.push(
          `${code} ${call.method} ${call.path.slice(0, 150)} ${JSON.stringify(call.headers)} body ${String(call.body ?? '').slice(0, 80)} → ${text.slice(0, 200)}`,
        );
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  polling = false;
  await poller;
  agent.destroy();

  statusMs.sort((a, b) => a - b);
  const p99 = statusMs[Math.floor(statusMs.length * 0.99)]!;
  console.log(
    `${CALLS} calls in ${((performance.now() - started) / 1000).toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries([...counts].sort((a, b) => a[0] - b[0])))}; status during the run: ${statusMs.length} calls, p50 ${statusMs[Math.floor(statusMs.length / 2)]!.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
  );
  expect(serverErrors.slice(0, 20)).toEqual([]);
  expect((await fetch(`${h.agent.url}/api/status`)).status).toBe(200);
  // The aim is under 200 ms (130-170 ms measured here); asserted with room for the shared
  // 2-core machine, where other builds alone push single status calls past 200 ms.
  expect(p99).toBeLessThan(500);
});
