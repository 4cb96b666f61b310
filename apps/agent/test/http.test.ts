import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startHarness, type Harness } from './fixtures/agent-harness';
import { eRecord, rRecord } from './fixtures/records';

const BASE_US = Date.UTC(2026, 0, 2, 8, 0, 0) * 1000;
let h: Harness;
let auth: Record<string, string>;

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(h.agent.url + path, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // raw text answers
  }
  return { status: res.status, text, json: json as Record<string, unknown>, headers: res.headers };
}

beforeAll(async () => {
  h = await startHarness('per-port:\n  - port: 8080\n    mode: default\n');
  auth = { authorization: `Bearer ${h.agent.token}` };
  for (let i = 0; i < 20; i++) {
    const ports = { local: 8080, peer: 41000 + i };
    h.collector.emit(
      rRecord(BASE_US + i * 1_000_000, ports, {
        uploadUs: 5,
        processUs: 100 * (i + 1),
        downloadUs: 7,
      }),
      eRecord(BASE_US + i * 1_000_000, ports),
    );
  }
  await h.agent.flush();
});

afterAll(async () => {
  await h.stop();
  await h.dir.remove();
});

describe('tRPC over HTTP', () => {
  it('answers queries at /trpc', async () => {
    const input = encodeURIComponent(JSON.stringify({ kinds: 'R', limit: 3 }));
    const res = await call('GET', `/trpc/records.list?input=${input}`);
    expect(res.status).toBe(200);
    const data = (res.json.result as { data: { items: { processUs: number }[] } }).data;
    expect(data.items.map((r) => r.processUs)).toEqual([2000, 1900, 1800]);
  });

  it('counts the records matching the list filters over REST', async () => {
    const all = await call('GET', '/api/records-count?localPort=8080&kinds=R');
    expect(all.json).toEqual({ count: 20, capped: false });
    // Process times 100, 200, …, 2000 µs: eleven of them are at least 1000 µs.
    const slow = await call('GET', '/api/records-count?kinds=R&minProcessUs=1000');
    expect(slow.json).toEqual({ count: 11, capped: false });
    expect((await call('GET', '/api/records-count?kinds=X')).status).toBe(400);
  });

  it('groups the matching records by peer over REST and tRPC; bad input is a 400', async () => {
    // Totals 112, 212, …, 2012 µs from one peer: nearest rank 10 and 20 of 20.
    const expected = {
      peers: [
        { peerAddr: '127.0.0.1', count: 20, p50TotalUs: 1012, p99TotalUs: 2012, maxTotalUs: 2012 },
      ],
      peerCount: 1,
      recordCount: 20,
      capped: false,
    };
    const rest = await call('GET', '/api/records-peers?localPort=8080&kinds=R&by=busiest');
    expect(rest.json).toEqual(expected);
    const input = encodeURIComponent(JSON.stringify({ localPort: 8080, kinds: 'R' }));
    const trpc = await call('GET', `/trpc/records.peers?input=${input}`);
    expect((trpc.json.result as { data: unknown }).data).toEqual(expected);
    const slow = await call('GET', '/api/records-peers?kinds=R&minProcessUs=1000');
    expect((slow.json.peers as { count: number }[])[0]?.count).toBe(11);
    for (const bad of ['by=fastest', 'limit=0', 'limit=501', 'peer=1', 'fromMs=5&toMs=1'])
      expect((await call('GET', `/api/records-peers?${bad}`)).status, bad).toBe(400);
  });

  it('refuses a mutation without the token and accepts it with the token', async () => {
    const body = { rule: { port: 9090, mode: 'http', first_frame: 'disable' } };
    const denied = await call('POST', '/trpc/config.rules.add', body);
    expect(denied.status).toBe(401);
    const ok = await call('POST', '/trpc/config.rules.add', body, auth);
    expect(ok.status).toBe(200);
    expect(readFileSync(h.configPath, 'utf8')).toContain('port: 9090');
  });

  it('returns config issues with line and path on a rejected replace', async () => {
    const res = await call(
      'POST',
      '/trpc/config.replace',
      { yaml: 'per-port:\n  - port: 8080\n    mode: ftp\n' },
      auth,
    );
    expect(res.status).toBe(400);
    const data = (res.json.error as { data: { configIssues: { line: number; path: string }[] } })
      .data;
    expect(data.configIssues[0]).toMatchObject({ line: 3, path: 'per-port[0].mode' });
  });
});

describe('REST', () => {
  it('serves records, one record, a connection and a port series', async () => {
    const list = await call('GET', '/api/records?kinds=R&minProcessUs=1500&order=asc&limit=2');
    expect(list.status).toBe(200);
    const items = list.json.items as {
      id: number;
      processUs: number;
      connectionId: number;
      line: string;
    }[];
    expect(items.map((r) => r.processUs)).toEqual([1500, 1600]);
    expect(items[0]?.line).toMatch(/^V6 R \d+ \d+ 127\.0\.0\.1:\d+ 127\.0\.0\.1:8080 .* \n$/);
    const one = await call('GET', `/api/records/${items[0]!.id}`);
    expect(one.json.processUs).toBe(1500);
    const conn = await call('GET', `/api/connections/${items[0]!.connectionId}`);
    expect((conn.json.records as unknown[]).length).toBe(2);
    const fromMs = BASE_US / 1000;
    const series = await call(
      'GET',
      `/api/stats/series?port=8080&side=local&fromMs=${fromMs}&toMs=${fromMs + 60_000}&bucketSec=60`,
    );
    expect(series.status).toBe(200);
    expect((series.json.buckets as { count: number }[])[0]?.count).toBe(20);
  });

  it('pages with nextCursor over REST', async () => {
    const first = await call('GET', '/api/records?kinds=R&limit=15');
    const second = await call(
      'GET',
      `/api/records?kinds=R&limit=15&cursor=${first.json.nextCursor as string}`,
    );
    expect((first.json.items as unknown[]).length + (second.json.items as unknown[]).length).toBe(
      20,
    );
    expect(second.json.nextCursor).toBeNull();
  });

  it('changes rules with the token only', async () => {
    expect((await call('DELETE', '/api/config/rules/1')).status).toBe(401);
    const removed = await call('DELETE', '/api/config/rules/1', undefined, auth);
    expect(removed.status).toBe(200);
    expect((removed.json.rules as unknown[]).length).toBe(1);
  });

  it('serves the OpenAPI document listing the REST paths', async () => {
    const doc = await call('GET', '/openapi.json');
    const paths = Object.keys(doc.json.paths as object);
    for (const p of [
      '/records',
      '/records/{id}',
      '/connections/{connectionId}',
      '/stats/series',
      '/stats/close-reasons',
      '/config',
      '/config/rules',
      '/status',
      '/raw/log',
    ]) {
      expect(paths).toContain(p);
    }
  });

  it('streams the raw log file as text with a file name, whole or by time range', async () => {
    const whole = await call('GET', '/api/raw/log');
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-disposition')).toMatch(
      /attachment; filename="tcprt-log-.*\.txt"/,
    );
    const lines = whole.text.split('\n').filter(Boolean);
    expect(lines).toHaveLength(40);
    for (const line of lines) expect(line).toMatch(/^V6 [RE] \d+ \d+ \S+ \S+( \d+)+ $/);
    const fromMs = BASE_US / 1000 + 5_000;
    const part = await call('GET', `/api/raw/log?fromMs=${fromMs}&toMs=${fromMs + 2_000}`);
    expect(part.text.split('\n').filter(Boolean)).toHaveLength(6);
  });

  it('allows the console origin by CORS', async () => {
    const res = await fetch(`${h.agent.url}/api/status`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:7070' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:7070');
    const other = await fetch(`${h.agent.url}/api/status`, {
      headers: { origin: 'http://evil.example' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
