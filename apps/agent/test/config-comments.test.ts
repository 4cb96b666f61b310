import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startHarness, type Harness } from './fixtures/agent-harness';

const COMMENTED = `# tcprt on db-7 (storage team). Edited by hand and through the console.
global:
  peer: false # servers only
  # stats lines feed the capacity report
  stats: disable
  stats_interval: 60
  first_frame_bytes: []

# first match wins
per-port:
  # nginx front
  - port: 80
    mode: http
  # the batch importer, going away
  - port: 9000
  # MariaDB
  - port: 3306 # default split
`;

let h: Harness;

beforeAll(async () => {
  h = await startHarness(COMMENTED);
});
afterAll(async () => {
  await h.stop();
  await h.dir.remove();
});

async function call(method: string, path: string, body: unknown) {
  const res = await fetch(`${h.agent.url}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${h.agent.token}` },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return readFileSync(h.configPath, 'utf8');
}

const commentsOf = (text: string) => text.match(/#.*$/gm) ?? [];

describe('a commented tcprt.yaml changed through the API', () => {
  it('keeps every comment that is not on a removed rule', async () => {
    let text = await call('POST', '/config/rules', { rule: { port: 6379, peer: true } });
    expect(text).toContain('  - port: 3306 # default split\n  - port: 6379\n    peer: true\n');
    expect(commentsOf(text)).toEqual(commentsOf(COMMENTED));

    text = await call('PATCH', '/config/global', { global: { stats: 'enable' } });
    expect(text).toContain('  # stats lines feed the capacity report\n  stats: enable\n');
    expect(commentsOf(text)).toEqual(commentsOf(COMMENTED));

    text = await call('DELETE', '/config/rules/1', {});
    expect(commentsOf(text)).toEqual(
      commentsOf(COMMENTED).filter((comment) => comment !== '# the batch importer, going away'),
    );
    expect(text).not.toContain('9000');
    // What runs is what the file says.
    const running = (await (await fetch(`${h.agent.url}/api/config`)).json()) as {
      config: { global: { stats: string }; 'per-port': { port: number }[] };
    };
    expect(running.config['per-port'].map((rule) => rule.port)).toEqual([80, 3306, 6379]);
    expect(running.config.global.stats).toBe('enable');
  });
});
