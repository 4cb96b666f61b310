import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeKernel } from '@tcprt/testkit/describeKernel';
import type { RRecord, TcprtRecord } from '@tcprt/schema';
import { runCommand } from '@tcprt/testkit/command';
import { startCollect, type CollectRun } from '@tcprt/testkit/collect';
import { freePort } from '@tcprt/testkit/freePort';
import { startNginx, type NginxServer } from '@tcprt/testkit/nginx';
import { withShapedLink } from '@tcprt/testkit/shapedLink';
import {
  expectContinueCurlArgs,
  INTERIM_RESPONSE,
  startContinueServer,
  type ContinueServer,
} from './modes-continue-server';
import {
  runOpensslClient,
  startOpensslServer,
  timedTls13Handshake,
  type OpensslServer,
} from './modes-openssl';
import { REPLY, sendChunks, startReplyServer, type ReplyServer } from './modes-reply-server';

/*
 * http and https modes and first_frame (SPEC §2, V7 records) on the real kernel, against real
 * peers: nginx and curl (also over a TBF-shaped veth link), node's HTTP server for
 * Expect: 100-continue, openssl s_server with s_client (timed by strace) for TLS 1.2, 1.3 and
 * 0-RTT, and raw sockets for plain text and garbage on an https port. One collector watches
 * every port of the file.
 */

const FIRST_FRAME_STEPS = [100, 2000, 20000, 0];
const MIB = 1024 * 1024;
const NGINX_FILES = { 'small.txt': 'x'.repeat(100), 'large.bin': Buffer.alloc(MIB, 7) };
// Loopback: a smoothed RTT far below a second, a congestion window of at least one segment.
const SANE_SRTT_US = 1_000_000;
// "Within a few ms", judged on the median of several handshakes, so one handshake that a busy
// two-core machine stretches on one side does not decide.
const HANDSHAKE_TOLERANCE_US = 3_000;
const HANDSHAKE_SAMPLES = 5;
const SHAPED_BYTES_PER_SEC = 10_000_000;

let collect: CollectRun;
let nginxHttp: NginxServer;
let nginxDefault: NginxServer;
let nginxFirstFrame: NginxServer;
let continueServer: ContinueServer;
let tlsServer: OpensslServer;
let tlsWwwServer: OpensslServer;
let replyServer: ReplyServer;
let shapedFirstFramePort: number;

beforeAll(async () => {
  nginxHttp = await startNginx({ port: await freePort(), files: NGINX_FILES });
  nginxDefault = await startNginx({ port: await freePort(), files: NGINX_FILES });
  nginxFirstFrame = await startNginx({ port: await freePort(), files: NGINX_FILES });
  continueServer = await startContinueServer(await freePort());
  tlsServer = await startOpensslServer(await freePort());
  tlsWwwServer = await startOpensslServer(await freePort(), true);
  replyServer = await startReplyServer(await freePort());
  shapedFirstFramePort = await freePort(); // nginx listens on it inside a shaped link's namespace
  collect = await startCollect({
    global: { first_frame_bytes: FIRST_FRAME_STEPS },
    'per-port': [
      { port: nginxHttp.port, mode: 'http' },
      { port: nginxDefault.port },
      { port: nginxFirstFrame.port, mode: 'http', first_frame: 'enable' },
      { port: continueServer.port, mode: 'http' },
      { port: tlsServer.port, mode: 'https' },
      { port: tlsWwwServer.port, mode: 'https' },
      { port: replyServer.port, mode: 'https' },
      { port: shapedFirstFramePort, mode: 'http', first_frame: 'enable' },
    ],
  });
});

afterAll(async () => {
  // The collector first: a stop() that fails (non-zero exit) must fail the file, after the
  // servers are gone all the same.
  try {
    await collect?.stop();
  } finally {
    await Promise.all(
      [
        nginxHttp,
        nginxDefault,
        nginxFirstFrame,
        continueServer,
        tlsServer,
        tlsWwwServer,
        replyServer,
      ].map((s) => s?.stop()),
    );
  }
});

/** Waits for the E record of the connection from `clientPort` to `serverPort`, returns its records. */
async function connectionRecords(serverPort: number, clientPort: number): Promise<TcprtRecord[]> {
  const ofConnection = () =>
    collect.records().filter((r) => r.local.port === serverPort && r.peer.port === clientPort);
  await collect.waitForLines(`the E record of ${clientPort} → ${serverPort}`, () =>
    ofConnection().some((r) => r.type === 'E'),
  );
  return ofConnection();
}

/** The type as printed: `R.` and the extension letters for extended R records. */
const printedType = (r: TcprtRecord) =>
  r.type === 'R' && r.extensions ? `R.${r.extensions}` : r.type;

/** The client port of the newest connection to `serverPort` that the collector closed. */
function newestClientPort(serverPort: number, since: number): number {
  const closed = collect
    .records()
    .slice(since)
    .filter((r) => r.type === 'E' && r.local.port === serverPort);
  const last = closed.at(-1);
  if (!last) throw new Error(`no connection to port ${serverPort} closed`);
  return last.peer.port;
}

async function curl(args: string[]): Promise<string[]> {
  const { stdout } = await runCommand(['curl', '-sS', '--fail', ...args]);
  return stdout.trim().split(' ');
}

describeKernel('http mode', () => {
  it('writes V7 R lines with smoothed RTT and congestion window; a default port stays V6', async () => {
    const [httpClient] = await curl([
      '-o',
      '/dev/null',
      '-o',
      '/dev/null',
      '-w',
      '%{local_port} ',
      `http://127.0.0.1:${nginxHttp.port}/small.txt`,
      `http://127.0.0.1:${nginxHttp.port}/large.bin`,
    ]);
    const [defaultClient] = await curl([
      '-o',
      '/dev/null',
      '-w',
      '%{local_port}',
      `http://127.0.0.1:${nginxDefault.port}/small.txt`,
    ]);
    const http = await connectionRecords(nginxHttp.port, Number(httpClient));
    const plain = await connectionRecords(nginxDefault.port, Number(defaultClient));

    expect(http.map(printedType)).toEqual(['R', 'R', 'E']);
    expect(http.every((r) => r.version === 'V7')).toBe(true);
    for (const r of http.slice(0, 2) as RRecord[]) {
      expect(r.srttUs).toBeGreaterThan(0);
      expect(r.srttUs).toBeLessThan(SANE_SRTT_US);
      expect(r.cwnd).toBeGreaterThanOrEqual(1);
      expect(r.extensions).toBe('');
    }
    expect((http[1] as RRecord).bytesSent).toBeGreaterThan(MIB);

    // Default mode: V6, and exactly the ten R fields of SPEC §2 on the line.
    expect(plain.map(printedType)).toEqual(['R', 'E']);
    expect(plain.every((r) => r.version === 'V6')).toBe(true);
    const line = collect
      .lines()
      .find(
        (l) =>
          l.startsWith('V6 R ') && l.includes(`:${defaultClient} 127.0.0.1:${nginxDefault.port} `),
      );
    expect(line?.split(' ').length).toBe(6 + 10 + 1); // header, fields, '' after the last space
  });

  it('writes R.C for an Expect: 100-continue exchange, then the R of the request with its body', async () => {
    const body = 'b'.repeat(5000);
    const [clientPort, sizeUpload] = await curl(
      expectContinueCurlArgs(
        body,
        `http://127.0.0.1:${continueServer.port}/upload`,
        '%{local_port} %{size_upload}',
      ),
    );
    expect(Number(sizeUpload)).toBe(body.length);
    const records = await connectionRecords(continueServer.port, Number(clientPort));
    expect(records.map(printedType)).toEqual(['R.C', 'R', 'E']);
    const [interim, request] = records as [RRecord, RRecord];
    expect(interim.bytesSent).toBe(INTERIM_RESPONSE.length);
    expect(interim.taskNum).toBe(1);
    // The body is the second task's request; the final response its response.
    expect(request.bytesReceived).toBe(body.length);
    expect(request.taskNum).toBe(2);
    expect(continueServer.bodyBytes.at(-1)).toBe(body.length);
  });

  it('writes R.F with one bytes:µs token per first_frame step for a 1 MiB response', async () => {
    const [clientPort] = await curl([
      '-o',
      '/dev/null',
      '-w',
      '%{local_port}',
      `http://127.0.0.1:${nginxFirstFrame.port}/large.bin`,
    ]);
    const records = await connectionRecords(nginxFirstFrame.port, Number(clientPort));
    expect(records.map(printedType)).toEqual(['R.F', 'E']);
    // Loopback: 64 KiB segments, so one ACK may reach several steps (equal tokens).
    expectFirstFrameSteps(records[0] as RRecord, 'loopback', false);
  });

  it('reaches each first_frame step with its own ACK on a 1500-byte MTU link', async () => {
    await withShapedLink({ serverToClientBytesPerSec: SHAPED_BYTES_PER_SEC }, async (link) => {
      const server = await startNginx({
        host: link.serverAddress,
        port: shapedFirstFramePort,
        files: NGINX_FILES,
        netns: link.serverNetns,
      });
      try {
        const { stdout } = await runCommand(
          [
            'curl',
            '-sS',
            '--fail',
            '-o',
            '/dev/null',
            '-w',
            '%{local_port}',
            `http://${link.serverAddress}:${shapedFirstFramePort}/large.bin`,
          ],
          { netns: link.clientNetns },
        );
        const records = await connectionRecords(shapedFirstFramePort, Number(stdout.trim()));
        expect(records.map(printedType)).toEqual(['R.F', 'E']);
        // TBF sends MTU-sized segments, ACKed every one or two: steps fall on different ACKs.
        expectFirstFrameSteps(records[0] as RRecord, 'shaped link', true);
      } finally {
        await server.stop();
      }
    });
  });
});

/** One token per non-zero step, each at or past its step, in order (strictly, when `strict`). */
function expectFirstFrameSteps(r: RRecord, where: string, strict: boolean): void {
  const steps = FIRST_FRAME_STEPS.filter((s) => s > 0);
  const tokens = r.firstFrame ?? [];
  console.log(
    `first_frame tokens for 1 MiB (${where}): ${tokens.map((t) => `${t.bytes}:${t.us}`).join(' ')}`,
  );
  expect(tokens).toHaveLength(steps.length);
  for (const [i, token] of tokens.entries()) {
    expect(token.bytes).toBeGreaterThanOrEqual(steps[i]!);
    expect(token.bytes).toBeLessThanOrEqual(r.bytesSent);
    expect(token.us).toBeGreaterThan(0);
    expect(token.us).toBeLessThanOrEqual(r.totalUs);
    const previous = tokens[i - 1];
    if (!previous) continue;
    if (strict) {
      expect(token.bytes).toBeGreaterThan(previous.bytes);
      expect(token.us).toBeGreaterThan(previous.us);
    } else {
      expect(token.bytes).toBeGreaterThanOrEqual(previous.bytes);
      expect(token.us).toBeGreaterThanOrEqual(previous.us);
    }
  }
}

describeKernel('https mode', () => {
  it('TLS 1.2: two R.H for the full handshake, then R.A for the close_notify exchange', async () => {
    const since = collect.records().length;
    await runOpensslClient(tlsServer, { version: 'tls1_2' });
    const records = await connectionRecords(tlsServer.port, await closedClient(tlsServer, since));
    expect(records.map(printedType)).toEqual(['R.H', 'R.H', 'R.A', 'E']);
    expect(records.every((r) => r.version === 'V7')).toBe(true);
    // TLS 1.2 handshakes carry no duration field.
    expect(records.some((r) => r.type === 'R' && r.handshakeUs !== undefined)).toBe(false);
  });

  it('TLS 1.3: one R.H carrying the handshake duration, then R.A for close_notify', async () => {
    const since = collect.records().length;
    await runOpensslClient(tlsServer, { version: 'tls1_3' });
    const records = await connectionRecords(tlsServer.port, await closedClient(tlsServer, since));
    expect(records.map(printedType)).toEqual(['R.H', 'R.A', 'E']);
    const handshake = records[0] as RRecord;
    expect(handshake.handshakeUs).toBeGreaterThan(0);
    // The client's Finished comes after the server's flight (T2), but maybe after the last ACK
    // (T3) too: total time is no bound.
    expect(handshake.handshakeUs).toBeGreaterThan(handshake.uploadUs + handshake.processUs);
  });

  it('TLS 1.3: the handshake duration is within a few ms of the one the client measures', async () => {
    const pairs: { clientUs: number; kernelUs: number }[] = [];
    for (let i = 0; i < HANDSHAKE_SAMPLES; i++) {
      const since = collect.records().length;
      const clientUs = await timedTls13Handshake(tlsServer);
      const records = await connectionRecords(tlsServer.port, await closedClient(tlsServer, since));
      expect(records.map(printedType)).toEqual(['R.H', 'R.A', 'E']);
      pairs.push({ clientUs, kernelUs: (records[0] as RRecord).handshakeUs ?? -1 });
    }
    console.log(
      `TLS 1.3 handshakes (client/kernel µs): ${pairs.map((p) => `${p.clientUs}/${p.kernelUs}`).join(' ')}`,
    );
    const gaps = pairs.map((p) => Math.abs(p.kernelUs - p.clientUs)).sort((a, b) => a - b);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThanOrEqual(HANDSHAKE_TOLERANCE_US);
  });

  it('curl: a response the server ends with close_notify is R.A, in TLS 1.2 and 1.3', async () => {
    for (const version of ['1.2', '1.3']) {
      const [clientPort] = await curl([
        '-k',
        `--tlsv${version}`,
        '--tls-max',
        version,
        '-o',
        '/dev/null',
        '-w',
        '%{local_port}',
        `https://127.0.0.1:${tlsWwwServer.port}/`,
      ]);
      const types = (await connectionRecords(tlsWwwServer.port, Number(clientPort))).map(
        printedType,
      );
      // curl's own close_notify, sent after the server's, opens no task: no N at close.
      const handshakes = version === '1.2' ? ['R.H', 'R.H'] : ['R.H'];
      expect(types.slice(0, handshakes.length + 1), `TLS ${version}`).toEqual([
        ...handshakes,
        'R.A',
      ]);
      expect(types.at(-1), `TLS ${version}`).toBe('E');
      expect(types, `TLS ${version}`).not.toContain('N');
    }
  });

  it('TLS 1.3 0-RTT: the resumed handshake carrying early data is R.Z (with H: it is the handshake task)', async () => {
    const session = path.join(tlsServer.dir, 'session.pem');
    const beforeFirst = collect.records().length;
    const first = await runOpensslClient(tlsServer, { version: 'tls1_3', sessionOut: session });
    expect(first).toContain('New, TLSv1.3');
    await closedClient(tlsServer, beforeFirst); // its E record must not be taken for the next one
    const since = collect.records().length;
    const resumed = await runOpensslClient(tlsServer, {
      version: 'tls1_3',
      resume: { sessionIn: session, earlyData: 'GET /early\n' },
    });
    expect(resumed).toContain('Reused, TLSv1.3');
    expect(resumed).toContain('Early data was accepted');
    const records = await connectionRecords(tlsServer.port, await closedClient(tlsServer, since));
    expect(records.map(printedType)).toEqual(['R.ZH', 'R.A', 'E']);
    expect((records[0] as RRecord).handshakeUs).toBeGreaterThan(0);
  });

  it('plain text and garbage on an https port give ordinary records and never stop the collector', async () => {
    const clientHelloHead = Buffer.from([0x16, 0x03, 0x01, 0x00, 0x30, 0x01, 0x00, 0x00, 0x2c]);
    const cases: Record<string, Buffer[]> = {
      'plain HTTP': [
        Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
        Buffer.from('GET /2 HTTP/1.1\r\n\r\n'),
      ],
      'random bytes': [randomBytes(3000), randomBytes(70_000)],
      'oversized record length': [Buffer.from([0x16, 0x03, 0x03, 0xff, 0xff, 1, 2, 3])],
      'application data first': [Buffer.from([0x17, 0x03, 0x03, 0x00, 0x13, ...randomBytes(19)])],
      'header split across segments': [
        Buffer.from([0x16, 0x03]),
        Buffer.from([0x01, 0x00, 0x04, 0x01, 0, 0, 0]),
      ],
      'ClientHello head then garbage': [
        Buffer.concat([
          clientHelloHead,
          randomBytes(0x2c),
          Buffer.from([0x42, 0x42, 0x42, 0x42, 0x42, 0x42]),
        ]),
        randomBytes(500),
      ],
    };
    for (const [name, chunks] of Object.entries(cases)) {
      const clientPort = await sendChunks(replyServer.port, chunks);
      const records = await connectionRecords(replyServer.port, clientPort);
      const tasks = records.filter((r): r is RRecord => r.type === 'R');
      expect(tasks.length, name).toBeGreaterThanOrEqual(1);
      expect(records.at(-1)?.type, name).toBe('E');
      expect(
        records.every((r) => r.version === 'V7'),
        name,
      ).toBe(true);
      expect(
        tasks.every((r) => r.bytesSent % REPLY.length === 0),
        name,
      ).toBe(true);
      if (name !== 'ClientHello head then garbage') {
        expect(
          tasks.map((r) => r.extensions),
          name,
        ).toEqual(tasks.map(() => ''));
      }
    }
  });
});

/** s_client prints no local port: the connection is the newest one the collector closed. */
async function closedClient(server: OpensslServer, since: number): Promise<number> {
  await collect.waitForLines(`a closed connection to ${server.port}`, () =>
    collect
      .records()
      .slice(since)
      .some((r) => r.type === 'E' && r.local.port === server.port),
  );
  return newestClientPort(server.port, since);
}
