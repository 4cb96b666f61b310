import http from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * An HTTP/1.1 server that honours `Expect: 100-continue` the way node does by default: it writes
 * the interim `HTTP/1.1 100 Continue` line as soon as the request head arrives, then reads the
 * body and answers with the number of body bytes it got.
 */

/** The exact interim response node writes (its byte count is the R.C record's response bytes). */
export const INTERIM_RESPONSE = 'HTTP/1.1 100 Continue\r\n\r\n';

/** curl arguments that POST `body` to `url` asking for `100 Continue` first, then write `writeOut`. */
export function expectContinueCurlArgs(body: string, url: string, writeOut: string): string[] {
  return [
    '-o',
    '/dev/null',
    '-H',
    'Expect: 100-continue',
    '--data-binary',
    body,
    '-w',
    writeOut,
    url,
  ];
}

export interface ContinueServer {
  port: number;
  /** Body bytes of every request, in arrival order. */
  bodyBytes: number[];
  stop(): Promise<void>;
}

export async function startContinueServer(port: number): Promise<ContinueServer> {
  const bodyBytes: number[] = [];
  const server = http.createServer((request, response) => {
    let received = 0;
    request.on('data', (chunk: Buffer) => (received += chunk.length));
    request.on('end', () => {
      bodyBytes.push(received);
      response.setHeader('content-type', 'text/plain');
      response.end(`received ${received}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    bodyBytes,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
