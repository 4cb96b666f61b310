import net from 'node:net';
import { preciseSleep } from './core-precise-sleep';

/*
 * Ground-truth server for the core kernel tests: requests are '\n'-terminated lines, each
 * answered with a known number of bytes after a known delay.
 */

export interface LineServerOptions {
  host: string;
  port: number;
  /** How long the server waits between a complete request and its answer. */
  delayMs?: number;
  responseBytes: number;
  /** Sent as soon as a client connects (a MySQL-style greeting). */
  greeting?: string;
  /** Close the connection right after the first answer (HTTP/1.0 style). */
  closeAfterAnswer?: boolean;
  /** Listen on IPv6 only; by default a '::' listener also takes IPv4 (as v4-mapped addresses). */
  ipv6Only?: boolean;
}

export async function startLineServer(o: LineServerOptions): Promise<net.Server> {
  // Built once: a fresh 32 MiB answer per request would leave garbage for a GC pause to collect
  // in the middle of a later, timed answer.
  const response = Buffer.alloc(o.responseBytes, 0x61);
  // Half-open: a client that shuts down its sending side still gets its answers.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('error', () => {}); // resets are part of some tests
    if (o.greeting) socket.write(o.greeting);
    let buffered = '';
    // Answers go out in request order; a client that half-closes still gets every answer.
    let answered = Promise.resolve();
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        buffered = buffered.slice(newline + 1);
        answered = answered.then(async () => {
          if (o.delayMs) await preciseSleep(o.delayMs);
          if (socket.destroyed) return;
          if (o.closeAfterAnswer) socket.end(response);
          else socket.write(response);
        });
      }
    });
    socket.on('end', () => void answered.then(() => socket.end()));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: o.host, port: o.port, ipv6Only: o.ipv6Only ?? false }, resolve);
  });
  return server;
}
