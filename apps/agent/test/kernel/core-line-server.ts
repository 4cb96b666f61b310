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
  /** Listen on IPv6 only; by default a '::' listener also takes IPv4 (as v4-mapped addresses). */
  ipv6Only?: boolean;
}

export async function startLineServer(o: LineServerOptions): Promise<net.Server> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {}); // resets are part of some tests
    if (o.greeting) socket.write(o.greeting);
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        buffered = buffered.slice(newline + 1);
        const answer = () => {
          if (!socket.destroyed) socket.write(Buffer.alloc(o.responseBytes, 0x61));
        };
        if (o.delayMs) void preciseSleep(o.delayMs).then(answer);
        else answer();
      }
    });
    socket.on('end', () => socket.end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: o.host, port: o.port, ipv6Only: o.ipv6Only ?? false }, resolve);
  });
  return server;
}
