import net from 'node:net';

// Below the kernel's default ephemeral range (32768–60999), so a port we hand out is never
// also picked as some client's source port while a test runs; the collector matches rules
// on port numbers in every network namespace, so a stray match would add foreign records.
const FIRST_PORT = 20000;
const END_PORT = 32000;
const ATTEMPTS = 200;

const handedOut = new Set<number>();

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A TCP port that nothing in this network namespace listens on (a dual-stack `::` listener blocks 0.0.0.0 too). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = FIRST_PORT + Math.floor(Math.random() * (END_PORT - FIRST_PORT));
    if (handedOut.has(port)) continue;
    if (await canBind(port, '0.0.0.0')) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(
    `freePort: no free port found in ${FIRST_PORT}-${END_PORT} after ${ATTEMPTS} tries`,
  );
}
