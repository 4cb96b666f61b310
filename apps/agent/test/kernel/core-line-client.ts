import net from 'node:net';

/** A test client that counts every byte it moves, for comparing with the records' byte counts. */
export interface LineClient {
  readonly localPort: number;
  readonly bytesWritten: number;
  readonly bytesRead: number;
  /** Writes text and resolves once `expectBytes` more bytes have arrived. */
  request(text: string, expectBytes: number): Promise<void>;
  write(text: string): Promise<void>;
  /** Resolves once the bytes received so far reach `total`. */
  waitForBytes(total: number): Promise<void>;
  /** Ends our side and waits until the connection is fully closed. */
  end(): Promise<void>;
  /** Waits until the peer has closed the connection. */
  closed(): Promise<void>;
  /** Stops reading: the peer's data piles up in the kernel buffers. */
  pause(): void;
  /** Aborts the connection with a RST. */
  reset(): Promise<void>;
}

export async function connectLineClient(host: string, port: number): Promise<LineClient> {
  const socket = net.connect({ host, port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let bytesRead = 0;
  let bytesWritten = 0;
  const waiters: { total: number; resolve(): void }[] = [];
  socket.on('data', (chunk: Buffer) => {
    bytesRead += chunk.length;
    for (const w of waiters.filter((w) => bytesRead >= w.total)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const waitForBytes = (total: number) =>
    bytesRead >= total
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiters.push({ total, resolve }));
  const write = (text: string) =>
    new Promise<void>((resolve, reject) => {
      bytesWritten += Buffer.byteLength(text, 'latin1');
      socket.write(text, 'latin1', (err) => (err ? reject(err) : resolve()));
    });
  return {
    localPort: socket.localPort ?? 0,
    get bytesWritten() {
      return bytesWritten;
    },
    get bytesRead() {
      return bytesRead;
    },
    async request(text, expectBytes) {
      const target = bytesRead + expectBytes;
      await write(text);
      await waitForBytes(target);
    },
    write,
    waitForBytes,
    async end() {
      socket.end();
      await closed;
    },
    closed: () => closed,
    pause: () => socket.pause(),
    async reset() {
      socket.resetAndDestroy();
      await closed;
    },
  };
}
