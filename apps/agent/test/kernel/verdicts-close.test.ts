import net from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeKernel } from '@tcprt/testkit/describeKernel';
import { closeReason, closedBy, type ERecord, type TcprtRecord } from '@tcprt/schema';
import { freePort } from '@tcprt/testkit/freePort';
import { runCollector, type CollectorRun } from './core-collector-run';

/*
 * Close details on the real kernel (DESIGN §7): each way a connection can end gives its own
 * first closing event, reset, phase and reason on its E record. A node server on a default-mode
 * port answers each request line with a response of the size the line asks for; the client and
 * the server then end the connection the way each case says.
 */

type Ending =
  | 'client-fin'
  | 'client-rst'
  | 'server-fin'
  | 'server-rst-after-response'
  | 'server-rst-mid-response'
  | 'client-rst-mid-response';

const BIG_RESPONSE_BYTES = 8 * 1024 * 1024;
let port = 0;
let server: net.Server;
let run: CollectorRun;
/** The server's socket of each connection, by the client's port. */
const serverSockets = new Map<number, net.Socket>();

beforeAll(async () => {
  port = await freePort();
  server = net.createServer((socket) => {
    serverSockets.set(socket.remotePort ?? 0, socket);
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      const bytes = Number(chunk.toString().trim());
      socket.write(Buffer.alloc(bytes, 'x'));
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  run = await runCollector({ 'per-port': [{ port }] });
});

afterAll(async () => {
  await run?.collector.stop();
  server?.close();
});

/** The client's own clock from writing its request to ending the connection, in µs. */
let clientElapsedUs = 0;

/** One connection: a request for `responseBytes`, then the ending; its E record. */
async function connectionEndingWith(ending: Ending): Promise<ERecord> {
  const client = net.connect(port, '127.0.0.1');
  client.on('error', () => undefined);
  await once(client, 'connect');
  const clientPort = client.localPort ?? 0;
  const midResponse = ending.endsWith('mid-response');
  const responseBytes = midResponse ? BIG_RESPONSE_BYTES : 500;
  let received = 0;
  if (midResponse) client.pause();
  else client.on('data', (chunk: Buffer) => (received += chunk.length));
  const requestAt = performance.now();
  client.write(`${responseBytes}\n`);
  if (!midResponse) await waitFor(() => received >= responseBytes);
  await waitFor(() => serverSockets.has(clientPort));
  const serverSide = serverSockets.get(clientPort)!;
  // Mid-response: the response is written and stuck behind the client's closed window.
  if (midResponse) await waitFor(() => serverSide.writableLength > 0);
  await sleep(50);
  clientElapsedUs = (performance.now() - requestAt) * 1000;
  switch (ending) {
    case 'client-fin':
      client.end();
      break;
    case 'client-rst':
    case 'client-rst-mid-response':
      client.resetAndDestroy();
      break;
    case 'server-fin':
      serverSide.end();
      break;
    case 'server-rst-after-response':
    case 'server-rst-mid-response':
      serverSide.resetAndDestroy();
      break;
  }
  await sleep(100);
  client.destroy();
  serverSide.destroy();
  let closing: ERecord | undefined;
  await run.waitFor(`the E record of the ${ending} connection`, () => {
    closing = run.records.find(
      (r): r is ERecord => r.type === 'E' && r.peer.port === clientPort && r.local.port === port,
    );
    return closing !== undefined;
  });
  return closing!;
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await sleep(10);
  if (!check()) throw new Error('timed out');
}

function taskRecordsOf(closing: ERecord): TcprtRecord[] {
  return run.records.filter(
    (r) => r.type !== 'E' && r.peer.port === closing.peer.port && r.local.port === port,
  );
}

describeKernel('how connections close (close detail on E records)', () => {
  it('client FIN between tasks: the peer closed first, normally', async () => {
    const e = await connectionEndingWith('client-fin');
    expect(e.close).toMatchObject({ first: 'fin_received', abort: null, phase: 'idle' });
    expect(closedBy(e.close!)).toBe('peer');
    expect(closeReason(e.close!)).toBe('normal');
  });

  it('client RST: reset by the peer', async () => {
    const e = await connectionEndingWith('client-rst');
    expect(e.close).toMatchObject({ first: 'rst_received', abort: 'rst_received', phase: 'idle' });
    expect(closeReason(e.close!)).toBe('reset_by_peer');
  });

  it('server FIN between tasks: we closed first, normally', async () => {
    const e = await connectionEndingWith('server-fin');
    expect(e.close).toMatchObject({ first: 'fin_sent', abort: null, phase: 'idle' });
    expect(closedBy(e.close!)).toBe('local');
    expect(closeReason(e.close!)).toBe('normal');
  });

  it('server RST after the response: reset by us, between tasks', async () => {
    const e = await connectionEndingWith('server-rst-after-response');
    expect(e.close).toMatchObject({ first: 'rst_sent', abort: 'rst_sent', phase: 'idle' });
    expect(e.close!.phaseUs).toBeGreaterThanOrEqual(40_000); // idle since the last ACK, 50 ms before
    expect(closeReason(e.close!)).toBe('reset_by_local');
  });

  it('server RST mid-response: reset by us while sending, with a W record', async () => {
    const e = await connectionEndingWith('server-rst-mid-response');
    expect(e.close).toMatchObject({ first: 'rst_sent', abort: 'rst_sent', phase: 'sending' });
    expect(closeReason(e.close!)).toBe('reset_by_local');
    const tasks = taskRecordsOf(e);
    expect(tasks.map((r) => r.type)).toEqual(['W']);
    // Sending since the response began (T2): the W's unfinished download, up to the close.
    const w = tasks[0]!;
    if (w.type !== 'W') throw new Error('expected a W record');
    expect(Math.abs(e.close!.phaseUs - (w.elapsedUs - w.uploadUs - w.processUs))).toBeLessThan(
      2_000,
    );
    expect(e.close!.phaseUs).toBeGreaterThanOrEqual(45_000);
  });

  it('client RST mid-response: reset by the peer while sending; the W ends when the reset arrived', async () => {
    const e = await connectionEndingWith('client-rst-mid-response');
    expect(e.close).toMatchObject({
      first: 'rst_received',
      abort: 'rst_received',
      phase: 'sending',
    });
    expect(closeReason(e.close!)).toBe('reset_by_peer');
    const [w] = taskRecordsOf(e);
    if (w?.type !== 'W') throw new Error('expected a W record');
    // Megabytes were still queued: the kernel frees them after the reset, before the close.
    expect(w.bytesUnacked).toBeGreaterThan(1_000_000);
    console.log(
      `client reset with ${w.bytesUnacked} B queued: W elapsed ${w.elapsedUs} µs, client's clock ${Math.round(clientElapsedUs)} µs`,
    );
    expect(Math.abs(w.elapsedUs - clientElapsedUs)).toBeLessThan(200);
  });
});
