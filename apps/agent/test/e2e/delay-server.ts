import http from 'node:http';

export interface DelayServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Ground truth for the end-to-end test: answers every request after exactly `delayMs` (the
 * process time the records must show) with `bodyBytes` bytes, closing each connection.
 */
export async function startDelayServer(port: number, delayMs: number, bodyBytes: number): Promise<DelayServer> {
  const body = Buffer.alloc(bodyBytes, 'x');
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      setTimeout(() => {
        res.writeHead(200, { 'content-length': body.length, connection: 'close' });
        res.end(body);
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
