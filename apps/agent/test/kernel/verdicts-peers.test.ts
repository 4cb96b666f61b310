import http from 'node:http';
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeKernel } from '@tcprt/testkit/describeKernel';
import { closeReason, type ERecord, type NRecord, type TcprtRecord } from '@tcprt/schema';
import { runCommand } from '@tcprt/testkit/command';
import { freePort } from '@tcprt/testkit/freePort';
import { runMariadbClient, startMariadb, type MariadbServer } from '@tcprt/testkit/mariadb';
import { startNginx, type NginxServer } from '@tcprt/testkit/nginx';
import { makeTempDir, type TempDir } from '@tcprt/testkit/tempDir';
import { runCollector, type CollectorRun } from './core-collector-run';
import { spinFor } from './core-precise-sleep';
import { duringRealtime } from './core-priority';
import { makeCertificate, startOpensslServer, type OpensslServer } from './modes-openssl';

/*
 * Endings that are not failures, and a client that gives up on a slow server, with real peers
 * (DESIGN §7): TLS close_notify (nginx with TLS 1.2 and curl; openssl s_server with TLS 1.3 and
 * s_client), MariaDB's COM_QUIT, and nginx (http mode) in front of an upstream slower than the
 * client's patience.
 */

const CONNECTIONS = 20;
const UPSTREAM_DELAY_MS = 300;
const CLIENT_TIMEOUT_MS = 100;
const GAVE_UP_TOLERANCE_US = 10_000;

let dir: TempDir;
let nginxTls: NginxServer;
let opensslWww: OpensslServer;
let mariadb: MariadbServer;
let upstream: http.Server;
let nginxProxy: NginxServer;
let run: CollectorRun;

beforeAll(async () => {
  dir = await makeTempDir('verdicts-peers');
  const { cert, key } = await makeCertificate(dir);
  nginxTls = await startNginx({
    port: await freePort(),
    files: { 'page.html': Buffer.alloc(20_000, 'p') },
    tls: { cert, key, protocols: 'TLSv1.2' },
  });
  opensslWww = await startOpensslServer(await freePort(), true);
  mariadb = await startMariadb({ port: await freePort() });
  upstream = http.createServer((_req, res) => {
    setTimeout(() => res.end('late answer\n'), UPSTREAM_DELAY_MS);
  });
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  const upstreamPort = (upstream.address() as { port: number }).port;
  nginxProxy = await startNginx({
    port: await freePort(),
    files: {},
    serverDirectives: `    location / { proxy_pass http://127.0.0.1:${upstreamPort}; }\n`,
  });
  run = await runCollector({
    'per-port': [
      { port: nginxTls.port, mode: 'https' },
      { port: opensslWww.port, mode: 'https' },
      { port: mariadb.port },
      { port: nginxProxy.port, mode: 'http' },
    ],
  });
}, 90_000);

afterAll(async () => {
  await run?.collector.stop();
  upstream?.close();
  await Promise.all([nginxTls?.stop(), opensslWww?.stop(), mariadb?.stop(), nginxProxy?.stop()]);
  await dir?.remove();
});

function recordsOn(port: number): TcprtRecord[] {
  return run.records.filter((r) => r.local.port === port);
}

async function closesOn(port: number, count: number): Promise<ERecord[]> {
  await run.waitFor(
    `${count} E records on port ${port}`,
    () => recordsOn(port).filter((r) => r.type === 'E').length >= count,
    20_000,
  );
  return recordsOn(port).filter((r): r is ERecord => r.type === 'E');
}

/** How many connections ended with each reason. */
function reasonCounts(closes: readonly ERecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of closes) {
    const reason = e.close ? closeReason(e.close) : 'no close detail';
    counts[reason] = (counts[reason] ?? 0) + 1;
  }
  return counts;
}

describeKernel('protocol endings and clients giving up, with real peers', () => {
  it('nginx, TLS 1.2, curl: 20 full exchanges ended by close_notify are 20 normal closes, no N', async () => {
    for (let i = 0; i < CONNECTIONS; i++) {
      await runCommand([
        'curl',
        '-sS',
        '--fail',
        '-k',
        '--tlsv1.2',
        '--tls-max',
        '1.2',
        '-o',
        '/dev/null',
        `${nginxTls.baseUrl}page.html`,
      ]);
    }
    const closes = await closesOn(nginxTls.port, CONNECTIONS);
    expect(recordsOn(nginxTls.port).filter((r) => r.type === 'N')).toEqual([]);
    expect(reasonCounts(closes)).toEqual({ normal: CONNECTIONS });
    for (const e of closes) expect(e.close?.protocolEnds).toContain('tls_close_notify_received');
    // Each connection's page was an R: the close_notify did not swallow the last task.
    const pages = recordsOn(nginxTls.port).filter((r) => r.type === 'R' && r.bytesSent >= 20_000);
    expect(pages).toHaveLength(CONNECTIONS);
  });

  it('openssl s_server -www, TLS 1.3, s_client: 20 exchanges then close_notify both ways are 20 normal closes, no N', async () => {
    for (let i = 0; i < CONNECTIONS; i++) {
      const client = spawn(
        'openssl',
        ['s_client', '-connect', `127.0.0.1:${opensslWww.port}`, '-tls1_3', '-quiet', '-ign_eof'],
        { stdio: ['pipe', 'pipe', 'ignore'] },
      );
      let page = '';
      client.stdout.setEncoding('utf8').on('data', (text: string) => (page += text));
      client.stdin.end('GET / HTTP/1.0\r\n\r\n');
      const [code] = (await once(client, 'close')) as [number | null];
      expect(code).toBe(0);
      expect(page).toContain('HTTP/1.0 200');
    }
    const closes = await closesOn(opensslWww.port, CONNECTIONS);
    expect(recordsOn(opensslWww.port).filter((r) => r.type === 'N')).toEqual([]);
    expect(reasonCounts(closes)).toEqual({ normal: CONNECTIONS });
    for (const e of closes) {
      expect(e.close?.protocolEnds).toEqual(['tls_close_notify_received', 'tls_close_notify_sent']);
      expect(e.close?.abort).toBeNull();
    }
  });

  it('MariaDB: 20 connect/query/quit connections are 20 normal closes (COM_QUIT), no N', async () => {
    for (let i = 0; i < CONNECTIONS; i++) await runMariadbClient(mariadb, 'SELECT 1');
    const closes = await closesOn(mariadb.port, CONNECTIONS);
    expect(recordsOn(mariadb.port).filter((r) => r.type === 'N')).toEqual([]);
    expect(reasonCounts(closes)).toEqual({ normal: CONNECTIONS });
    for (const e of closes) expect(e.close?.protocolEnds).toEqual(['mysql_quit']);
    // Every connection's login and query were answered: two R each.
    expect(recordsOn(mariadb.port).filter((r) => r.type === 'R')).toHaveLength(2 * CONNECTIONS);
  });

  /**
   * One HTTP/1.1 request to nginx, given up `CLIENT_TIMEOUT_MS` after it was sent: the client
   * closes (a FIN, as curl's --max-time does). The wait is spun at real-time priority so that a
   * loaded machine cannot make the client late; returns how long it really waited, by its clock.
   */
  async function requestGivenUp(port: number): Promise<number> {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.on('data', () => {
      throw new Error('the upstream answered before the client gave up');
    });
    await once(socket, 'connect');
    const waitedMs = duringRealtime(() => {
      const sentAt = performance.now();
      socket.write('GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n');
      spinFor(CLIENT_TIMEOUT_MS);
      socket.destroy(); // close(2) at once: the FIN leaves now, not on the next event-loop turn
      return performance.now() - sentAt;
    });
    return waitedMs * 1000;
  }

  it('nginx (http mode) behind a 300 ms upstream, clients giving up after 100 ms: the peer gave up while the server processed', async () => {
    const clients = 5;
    const clientWaitedUs: number[] = [];
    for (let i = 0; i < clients; i++) clientWaitedUs.push(await requestGivenUp(nginxProxy.port));
    const closes = await closesOn(nginxProxy.port, clients);
    expect(reasonCounts(closes)).toEqual({ peer_gave_up: clients });
    const waitedUs = closes.map((e) => e.close!.phaseUs);
    console.log(
      `waited (µs) before the client gave up, kernel/client: ${waitedUs.map((us, i) => `${us}/${Math.round(clientWaitedUs[i]!)}`).join(' ')}`,
    );
    // The kernel's wait is the client's own, to the client's clock; a loaded VM can still make a
    // single client late (its vCPU descheduled mid-spin), so the 100 ms is held to the median.
    closes.forEach((e, i) => {
      expect(e.close).toMatchObject({ first: 'fin_received', phase: 'processing' });
      expect(Math.abs(e.close!.phaseUs - clientWaitedUs[i]!)).toBeLessThanOrEqual(2_000);
    });
    const median = [...waitedUs].sort((a, b) => a - b)[Math.floor(waitedUs.length / 2)]!;
    expect(Math.abs(median - CLIENT_TIMEOUT_MS * 1000)).toBeLessThanOrEqual(GAVE_UP_TOLERANCE_US);
    // The request that was given up on: V7 N (no response came), its upload only the request itself.
    const unanswered = recordsOn(nginxProxy.port).filter((r): r is NRecord => r.type === 'N');
    expect(unanswered).toHaveLength(clients);
  });
});
