import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeKernel } from '@tcprt/testkit/describeKernel';
import type { PortService, Ports } from '@tcprt/schema';
import { Agent } from '../../src/agent';
import { SCAN_EVERY_MS } from '../../src/port-services/port-service-tracker';
import { startRealCollector } from '../../src/supervisor/real-collector';
import { makeTestCgroup, type TestCgroup } from '@tcprt/testkit/cgroup';
import { runCommand } from '@tcprt/testkit/command';
import { freePort } from '@tcprt/testkit/freePort';
import { mariadbClientArgv, startMariadb, type MariadbServer } from '@tcprt/testkit/mariadb';
import { startNginx, type NginxServer } from '@tcprt/testkit/nginx';
import { startRedis, type RedisServer } from '@tcprt/testkit/redis';
import { makeTempDir, type TempDir } from '@tcprt/testkit/tempDir';
import { waitUntil } from '@tcprt/testkit/waitUntil';

/*
 * Service names with real servers and the real collector: each tracked port is named by the
 * process listening on it (or, for a peer port, the process that made the calls), with the
 * systemd unit or container its cgroup path names. MariaDB and redis are moved into real cgroup
 * v2 directories laid out as systemd and docker lay them out; nginx stays where the test runner
 * started it, and its cgroup is whatever /proc says here.
 */

const CONTAINER_ID = 'c0ffee'.repeat(10) + 'beef';
const SCAN_WAIT_MS = 3 * SCAN_EVERY_MS;

let dir: TempDir;
let agent: Agent | undefined;
let redis: RedisServer;
let mariadb: MariadbServer;
let nginx: NginxServer;
let unitCgroup: TestCgroup;
let containerCgroup: TestCgroup;
let configPath: string;
const fromMs = Date.now();

const startAgent = () =>
  Agent.start({
    configPath,
    dataDir: path.join(dir.path, 'data'),
    listen: { host: '127.0.0.1', port: 0 },
    startCollector: startRealCollector,
  });

beforeAll(async () => {
  dir = await makeTempDir('peers-names');
  const top = `tcprt-test-${process.pid}`;
  unitCgroup = await makeTestCgroup(`${top}/system.slice/mariadb.service`);
  containerCgroup = await makeTestCgroup(`${top}/system.slice/docker-${CONTAINER_ID}.scope`);
  [redis, mariadb, nginx] = await Promise.all([
    freePort().then((port) => startRedis({ port })),
    freePort().then((port) => startMariadb({ port })),
    freePort().then((port) => startNginx({ port, files: { 'index.html': 'hello\n' } })),
  ]);
  await containerCgroup.add(redis.pid);
  await unitCgroup.add(mariadb.pid);
  configPath = path.join(dir.path, 'tcprt.yaml');
  writeFileSync(
    configPath,
    [
      'per-port:',
      `  - port: ${redis.port}`,
      `  - port: ${redis.port}`,
      '    peer: true',
      `  - port: ${mariadb.port}`,
      '    name: orders-db',
      `  - port: ${nginx.port}`,
      '',
    ].join('\n'),
  );
  agent = await startAgent();
});

afterAll(async () => {
  try {
    await agent?.stop();
  } finally {
    await Promise.all([redis?.stop(), mariadb?.stop(), nginx?.stop()]);
    await unitCgroup?.remove();
    await containerCgroup?.remove();
    await dir?.remove();
  }
});

async function ports(): Promise<Ports['ports']> {
  if (!agent) throw new Error('agent not running');
  const res = await fetch(`${agent.url}/api/stats/ports?fromMs=${fromMs}&toMs=${Date.now()}`);
  if (!res.ok) throw new Error(`stats/ports: ${res.status} ${await res.text()}`);
  return ((await res.json()) as Ports).ports;
}

async function serviceOf(port: number, peer = false): Promise<PortService | null | undefined> {
  return (await ports()).find((p) => p.port === port && p.peer === peer)?.service;
}

/** redis-cli sending PING every 100 ms over one connection for `count` rounds; resolves with its pid once done. */
async function redisCliPings(count: number): Promise<number> {
  const child = spawn(
    'redis-cli',
    ['-h', '127.0.0.1', '-p', String(redis.port), '-r', String(count), '-i', '0.1', 'PING'],
    { stdio: 'ignore' },
  );
  const pid = child.pid ?? 0;
  await new Promise<void>((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`redis-cli exited ${code}`)),
    ),
  );
  return pid;
}

/** The cgroup paths /proc lists for a process (one per hierarchy). */
const cgroupPathsOf = (pid: number) =>
  readFileSync(`/proc/${pid}/cgroup`, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(line.indexOf(':', line.indexOf(':') + 1) + 1));

describeKernel('service names', () => {
  let redisFirstSeenMs: number;
  let clientPid: number;

  it('names each tracked port by its process, with its systemd unit, container or cgroup', async () => {
    const [cliPid] = await Promise.all([
      redisCliPings(30),
      runCommand(mariadbClientArgv(mariadb.port, 'SELECT 1')),
      runCommand(['curl', '-sS', '--fail', '-o', '/dev/null', nginx.baseUrl]),
    ]);
    clientPid = cliPid;
    await waitUntil(
      'a service on every tracked port',
      async () => {
        const named = (await ports()).filter((p) => p.service?.pid);
        return named.length >= 4;
      },
      SCAN_WAIT_MS,
      250,
    );

    const redisService = await serviceOf(redis.port);
    expect(redisService).toMatchObject({
      name: 'redis-server',
      source: 'process',
      process: 'redis-server',
      pid: redis.pid,
      cgroup: containerCgroup.path,
      unit: null,
      container: CONTAINER_ID,
    });
    expect(redisService?.command).toContain('redis-server');
    redisFirstSeenMs = redisService?.firstSeenMs ?? 0;

    // the rule's name wins; the process is still shown
    expect(await serviceOf(mariadb.port)).toMatchObject({
      name: 'orders-db',
      source: 'rule',
      process: 'mariadbd',
      pid: mariadb.pid,
      cgroup: unitCgroup.path,
      unit: 'mariadb.service',
      container: null,
    });

    const nginxService = await serviceOf(nginx.port);
    expect(nginxService).toMatchObject({ name: 'nginx', process: 'nginx', pid: nginx.pid });
    // the master, not its worker, though both hold the listening socket
    expect(nginxService?.command).toMatch(/^nginx: master process/);
    expect(cgroupPathsOf(nginx.pid)).toContain(nginxService?.cgroup);

    // the peer port's P records name the client process that made the calls
    expect(await serviceOf(redis.port, true)).toMatchObject({
      name: 'redis-cli',
      process: 'redis-cli',
      pid: clientPid,
    });
  });

  it("keeps a restarted server's name, now with its new pid", async () => {
    const oldPid = redis.pid;
    await redis.stop();
    redis = await startRedis({ port: redis.port });
    await containerCgroup.add(redis.pid);
    expect(redis.pid).not.toBe(oldPid);
    await waitUntil(
      'the restarted redis-server on its port',
      // A scan between its start and its move into the cgroup sees it without the container once.
      async () => {
        const service = await serviceOf(redis.port);
        return service?.pid === redis.pid && service.container === CONTAINER_ID;
      },
      SCAN_WAIT_MS,
      250,
    );
    expect(await serviceOf(redis.port)).toMatchObject({
      name: 'redis-server',
      container: CONTAINER_ID,
      // the same row: first seen before the restart
      firstSeenMs: redisFirstSeenMs,
    });
  });

  it('remembers names in history once the servers are gone, across an agent restart', async () => {
    await agent?.stop();
    agent = undefined;
    const nginxPid = nginx.pid;
    await nginx.stop();
    agent = await startAgent();
    // nothing listens on nginx's port now: its name comes from the database
    expect(await serviceOf(nginx.port)).toMatchObject({ name: 'nginx', pid: nginxPid });
    expect(await serviceOf(redis.port, true)).toMatchObject({ name: 'redis-cli', pid: clientPid });
  });
});
