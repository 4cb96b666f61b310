import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeKernel } from '@tcprt/testkit/describeKernel';
import { parseLogLine, type RRecord, type StoredRecord } from '@tcprt/schema';
import { Agent } from '../../src/agent';
import { startRealCollector } from '../../src/supervisor/real-collector';
import { runCommand } from '@tcprt/testkit/command';
import { freePort } from '@tcprt/testkit/freePort';
import { startNginx, type NginxServer } from '@tcprt/testkit/nginx';
import { makeTempDir, type TempDir } from '@tcprt/testkit/tempDir';
import { waitUntil } from '@tcprt/testkit/waitUntil';
import { runOpensslClient, startOpensslServer, type OpensslServer } from './modes-openssl';

/*
 * V7 records through the agent with the real collector: stored, served by the REST API with
 * their extension letters, and their log lines rebuilt with every appended field.
 */

let dir: TempDir;
let agent: Agent | undefined;
let tls: OpensslServer;
let nginx: NginxServer;

beforeAll(async () => {
  dir = await makeTempDir('modes-agent');
  tls = await startOpensslServer(await freePort());
  nginx = await startNginx({
    port: await freePort(),
    files: { 'large.bin': Buffer.alloc(1024 * 1024, 3) },
  });
  const configPath = path.join(dir.path, 'tcprt.yaml');
  writeFileSync(
    configPath,
    [
      'global:',
      '  first_frame_bytes: [100, 2000, 20000, 0]',
      'per-port:',
      `  - port: ${tls.port}`,
      '    mode: https',
      `  - port: ${nginx.port}`,
      '    mode: http',
      '    first_frame: enable',
      '',
    ].join('\n'),
  );
  agent = await Agent.start({
    configPath,
    dataDir: path.join(dir.path, 'data'),
    listen: { host: '127.0.0.1', port: 0 },
    startCollector: startRealCollector,
  });
});

afterAll(async () => {
  try {
    await agent?.stop();
  } finally {
    await Promise.all([tls?.stop(), nginx?.stop()]);
    await dir?.remove();
  }
});

async function recordsOn(port: number): Promise<StoredRecord[]> {
  if (!agent) throw new Error('agent not running');
  const res = await fetch(`${agent.url}/api/records?localPort=${port}&kinds=R&order=asc&limit=100`);
  if (!res.ok) throw new Error(`records: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { items: StoredRecord[] }).items;
}

describeKernel('the agent on the real collector, with V7 modes', () => {
  it('stores and serves V7 records with their extensions and appended fields', async () => {
    await runOpensslClient(tls, { version: 'tls1_2' });
    await runCommand(['curl', '-sS', '--fail', '-o', '/dev/null', `${nginx.baseUrl}large.bin`]);
    await waitUntil(
      'the TLS and first_frame records through the API',
      async () =>
        (await recordsOn(tls.port)).length >= 3 && (await recordsOn(nginx.port)).length >= 1,
      15_000,
    );

    const handshake = await recordsOn(tls.port);
    expect(handshake.map((r) => [r.version, r.extensions])).toEqual([
      ['V7', 'H'],
      ['V7', 'H'],
      ['V7', 'A'],
    ]);
    expect(handshake[0]!.line).toMatch(/^V7 R\.H /);

    const [download] = await recordsOn(nginx.port);
    expect(download?.extensions).toBe('F');
    const line = parseLogLine(download!.line) as RRecord;
    expect(line.firstFrame).toHaveLength(3);
    expect(line.srttUs).toBeGreaterThan(0);
    expect(line.bytesSent).toBe(download!.bytesSent);
  });
});
