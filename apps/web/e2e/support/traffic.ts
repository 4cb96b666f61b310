import net from 'node:net';

// Real TCP traffic with known ground truth for the browser tests. Requests are lines ending in
// "\n"; the server waits a fixed delay after the whole request arrived, then answers with a fixed
// number of bytes. That delay is the process time (T2−T1) the console must show.

export interface DelayServer {
  port: number;
  close(): Promise<void>;
}

export interface DelayServerOptions {
  port: number;
  /** A fixed delay, or one per request (called with the server's count of requests so far). */
  delayMs: number | ((requestIndex: number) => number);
  responseBytes: number;
  host?: string;
}

export function startDelayServer({
  port,
  delayMs,
  responseBytes,
  host = '127.0.0.1',
}: DelayServerOptions): Promise<DelayServer> {
  const sockets = new Set<net.Socket>();
  let requests = 0;
  const delayFor = typeof delayMs === 'number' ? () => delayMs : delayMs;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = '';
    socket.on('data', (chunk) => {
      pending += chunk.toString('latin1');
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        pending = pending.slice(newline + 1);
        const requestDelayMs = delayFor(requests++);
        // Node's timers count whole milliseconds from the event loop's cached clock, so one can
        // fire up to 1 ms early by the real clock: the last stretch is waited out exactly.
        const dueMs = performance.now() + requestDelayMs;
        setTimeout(() => {
          while (performance.now() < dueMs) {
            // spin: well under a millisecond
          }
          if (!socket.destroyed) socket.write(Buffer.alloc(responseBytes, 0x61));
        }, requestDelayMs);
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () =>
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}

function connect(port: number, host = '127.0.0.1'): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends `requests` requests one after another on one connection, each waiting for its full response, then closes. */
export async function keepAliveSession(
  port: number,
  {
    requests,
    requestBytes,
    responseBytes,
    pauseMs = 0,
  }: { requests: number; requestBytes: number; responseBytes: number; pauseMs?: number },
): Promise<void> {
  const socket = await connect(port);
  let received = 0;
  let waiter: (() => void) | null = null;
  let expected = 0;
  socket.on('data', (chunk) => {
    received += chunk.length;
    if (waiter && received >= expected) {
      const w = waiter;
      waiter = null;
      w();
    }
  });
  for (let i = 0; i < requests; i++) {
    expected += responseBytes;
    const done = new Promise<void>((resolve) => (waiter = resolve));
    socket.write(Buffer.concat([Buffer.alloc(requestBytes - 1, 0x71), Buffer.from('\n')]));
    await done;
    if (pauseMs && i < requests - 1) await new Promise((r) => setTimeout(r, pauseMs));
  }
  await new Promise<void>((resolve) => socket.end(resolve));
  await new Promise((r) => socket.once('close', r));
}

/**
 * A client that asks for a response far larger than the socket buffers, reads none of it and
 * resets the connection: the server is closed while still sending (a W record).
 */
export async function abortWhileServerSends(port: number, waitMs = 300): Promise<void> {
  const socket = await connect(port);
  socket.pause();
  socket.write('big\n');
  await new Promise((r) => setTimeout(r, waitMs));
  socket.resetAndDestroy();
  await new Promise((r) => setTimeout(r, 50));
}

/** A client that sends half a request and leaves: closed while receiving (an N record). */
export async function abortMidRequest(port: number): Promise<void> {
  const socket = await connect(port);
  socket.write('half a request without its end');
  await new Promise((r) => setTimeout(r, 100));
  await new Promise<void>((resolve) => socket.end(resolve));
  await new Promise((r) => socket.once('close', r));
}
