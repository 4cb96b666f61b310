import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeKernel } from '@tcprt/testkit/describeKernel';
import { downloadLimits, taskPhases, type PRecord, type RRecord } from '@tcprt/schema';
import { inNetns, runCommand } from '@tcprt/testkit/command';
import { freePort } from '@tcprt/testkit/freePort';
import { createShapedLink, type ShapedLink } from '@tcprt/testkit/shapedLink';
import { runCollector, type CollectorRun } from './core-collector-run';

/*
 * Where a download's time went (DESIGN §7), from the kernel's TCP chronographs: 8 MiB responses
 * from a node server in one network namespace to curl in another, over a veth pair shaped by
 * TBF (or not shaped, where the server is to be the bottleneck). Ground truth is the set-up:
 * a client reading slower than the link, a fast client on a slow link, a server pausing between
 * its writes. Throughput is held to curl's own count of body bytes over its transfer time, and
 * for the slow reader to its TCP's: the download ends with the client's last ACK, while curl
 * then still reads what its receive buffer holds at its own pace.
 */

const AGENT_DIR = path.resolve(import.meta.dirname, '../..');
const SERVER_MAIN = path.resolve(import.meta.dirname, 'verdicts-download-server-main.ts');
const BODY_BYTES = 8 * 1024 * 1024;
const LINK_BYTES_PER_SEC = 8_000_000;
const SLOW_READER_BYTES_PER_SEC = 2_500_000;
const SLOW_READER_RCVBUF = 256 * 1024;
const MOSTLY = 0.6;
const THROUGHPUT_TOLERANCE = 0.1;

let shaped: ShapedLink;
let shapedSmallWindow: ShapedLink;
let unshaped: ShapedLink;
let run: CollectorRun;
const stops: (() => Promise<void>)[] = [];

/** The download server inside `link`'s server namespace. */
async function startServer(link: ShapedLink, chunks: number, gapMs: number): Promise<number> {
  const port = await freePort();
  const argv = inNetns(link.serverNetns, [
    process.execPath,
    '--import',
    'tsx',
    SERVER_MAIN,
    link.serverAddress,
    String(port),
    String(BODY_BYTES),
    String(chunks),
    String(gapMs),
  ]);
  const child = spawn(argv[0]!, argv.slice(1), {
    stdio: ['pipe', 'pipe', 'inherit'],
    cwd: AGENT_DIR,
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      if (text.includes('ready')) resolve();
    });
    child.once('close', (code) => reject(new Error(`download server exited (${code})`)));
  });
  stops.push(async () => {
    const closed = new Promise((resolve) => child.once('close', resolve));
    child.stdin.end();
    await closed;
  });
  return port;
}

const ports = { slowReader: 0, fastReader: 0, pausingServer: 0 };

beforeAll(async () => {
  shaped = await createShapedLink({ serverToClientBytesPerSec: LINK_BYTES_PER_SEC });
  // The slow reader's namespace caps TCP receive buffers at 256 KiB (autotuning would otherwise
  // let megabytes arrive at link speed before its window mattered).
  shapedSmallWindow = await createShapedLink({ serverToClientBytesPerSec: LINK_BYTES_PER_SEC });
  await runCommand(['sysctl', '-q', '-w', `net.ipv4.tcp_rmem=4096 65536 ${SLOW_READER_RCVBUF}`], {
    netns: shapedSmallWindow.clientNetns,
  });
  unshaped = await createShapedLink({});
  ports.slowReader = await startServer(shapedSmallWindow, 1, 0);
  ports.fastReader = await startServer(shaped, 1, 0);
  ports.pausingServer = await startServer(unshaped, 10, 50);
  run = await runCollector({
    // Local rules: the servers' sockets; peer rules: curl's, whose P records time its TCP.
    'per-port': Object.values(ports).flatMap((port) => [{ port }, { port, peer: true }]),
  });
}, 60_000);

afterAll(async () => {
  await run?.collector.stop();
  for (const stop of stops) await stop();
  await shaped?.stop();
  await shapedSmallWindow?.stop();
  await unshaped?.stop();
});

interface Download {
  task: RRecord;
  /** curl's body bytes per second of its transfer (first byte → last byte). */
  clientBytesPerSec: number;
  /** Response bytes per second of the client TCP's receive time (its P record). */
  clientTcpBytesPerSec: number;
}

/** curl fetches the 8 MiB response on `port`; `limitRate`: curl reads no faster than that. */
async function download(link: ShapedLink, port: number, limitRate?: number): Promise<Download> {
  const curl = await runCommand(
    [
      'curl',
      '-sS',
      '--fail',
      '-o',
      '/dev/null',
      ...(limitRate ? ['--limit-rate', String(limitRate)] : []),
      '-w',
      '%{size_download} %{time_starttransfer} %{time_total}',
      `http://${link.serverAddress}:${port}/`,
    ],
    { netns: link.clientNetns, timeoutMs: 30_000 },
  );
  const [bytes, startSec, endSec] = curl.stdout.trim().split(' ').map(Number) as [
    number,
    number,
    number,
  ];
  expect(bytes).toBe(BODY_BYTES);
  let task: RRecord | undefined;
  let clientTask: PRecord | undefined;
  await run.waitFor(`the R and P records on port ${port}`, () => {
    task = run.records.find(
      (r): r is RRecord => r.type === 'R' && r.local.port === port && r.bytesSent > BODY_BYTES,
    );
    clientTask = run.records.find(
      (r): r is PRecord => r.type === 'P' && r.peer.port === port && r.bytesReceived > BODY_BYTES,
    );
    return task !== undefined && clientTask !== undefined;
  });
  return {
    task: task!,
    clientBytesPerSec: bytes / (endSec - startSec),
    clientTcpBytesPerSec: (clientTask!.bytesReceived * 1e6) / clientTask!.receiveUs,
  };
}

function describeSplit(
  what: string,
  d: Download,
  reference: 'curl' | 'client TCP' = 'curl',
): ReturnType<typeof downloadLimits> {
  const phases = taskPhases(d.task);
  expect(d.task.download, `${what}: chronographs on the R record`).toBeDefined();
  const limits = downloadLimits(phases.downloadUs, d.task.bytesSent, d.task.download!);
  console.log(
    `${what}: download ${phases.downloadUs} µs, chronographs ${JSON.stringify(d.task.download)}, ` +
      `receiver ${limits!.receiverShare.toFixed(2)} network ${limits!.networkShare.toFixed(2)} ` +
      `application ${limits!.applicationShare.toFixed(2)}, ` +
      `${Math.round(limits!.bytesPerSec!)} B/s (curl ${Math.round(d.clientBytesPerSec)} B/s, ` +
      `client TCP ${Math.round(d.clientTcpBytesPerSec)} B/s)`,
  );
  const expected = reference === 'curl' ? d.clientBytesPerSec : d.clientTcpBytesPerSec;
  expect(
    Math.abs(limits!.bytesPerSec! / expected - 1),
    `${what}: throughput against the ${reference}'s`,
  ).toBeLessThanOrEqual(THROUGHPUT_TOLERANCE);
  return limits;
}

describeKernel('download chronographs over shaped links', () => {
  it('a client reading slower than the link: most of the download waits on its receive window', async () => {
    const limits = describeSplit(
      'slow reader',
      await download(shapedSmallWindow, ports.slowReader, SLOW_READER_BYTES_PER_SEC),
      'client TCP',
    );
    expect(limits!.receiverShare).toBeGreaterThanOrEqual(MOSTLY);
  });

  it('a fast reader on the shaped link: most of the download is the network', async () => {
    const limits = describeSplit('fast reader', await download(shaped, ports.fastReader));
    expect(limits!.networkShare).toBeGreaterThanOrEqual(MOSTLY);
  });

  it('a server writing 10 chunks 50 ms apart to a fast reader: most of the download is the application', async () => {
    const limits = describeSplit('pausing server', await download(unshaped, ports.pausingServer));
    expect(limits!.applicationShare).toBeGreaterThanOrEqual(MOSTLY);
  });
});
