import net from 'node:net';

/*
 * A TCP server that answers every chunk it reads with a fixed reply, whatever the chunk holds:
 * the peer for plain-text and garbage clients on an https-mode port.
 */

export const REPLY = 'ok\n';

export interface ReplyServer {
  port: number;
  stop(): Promise<void>;
}

export async function startReplyServer(port: number): Promise<ReplyServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => socket.write(REPLY));
    socket.on('end', () => socket.end());
    socket.on('error', () => {}); // a client that resets is part of the garbage tests
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Connects, sends each chunk and waits for the reply to it before the next (so each chunk is a
 * request of its own), then closes. Returns the client's local port.
 */
export async function sendChunks(port: number, chunks: readonly Buffer[]): Promise<number> {
  const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const localPort = socket.localPort ?? 0;
  let replied = '';
  socket.setEncoding('utf8').on('data', (text: string) => (replied += text));
  for (const [i, chunk] of chunks.entries()) {
    socket.write(chunk);
    const deadline = Date.now() + 5000;
    while (replied.length < REPLY.length * (i + 1)) {
      if (Date.now() > deadline) throw new Error(`no reply to chunk ${i} from port ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  await new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    socket.end();
  });
  return localPort;
}
