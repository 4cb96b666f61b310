import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { tcprtConfigSchema } from '@tcprt/schema';
import { PortServiceTracker } from './port-service-tracker';

/*
 * The tracker against this process's own sockets: the ground truth is process.pid, which owns
 * every socket the test opens (reading one's own /proc needs no root).
 */

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function listen(): Promise<number> {
  const server = net.createServer((socket) => socket.on('data', () => {}));
  closers.push(() => server.close());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

function trackerFor(rules: { port: number; peer?: boolean }[]): PortServiceTracker {
  const tracker = new PortServiceTracker(() => {});
  tracker.setConfig(tcprtConfigSchema.parse({ 'per-port': rules }));
  return tracker;
}

describe('PortServiceTracker', () => {
  it('names a tracked listening port by the process holding its socket, and only tracked ports', async () => {
    const tracked = await listen();
    const untracked = await listen();
    const tracker = trackerFor([{ port: tracked }]);
    const first = await tracker.scan();
    expect(first.walkedFds).toBe(true);
    expect(first.observed).toEqual([
      expect.objectContaining({ port: tracked, peer: false, pid: process.pid }),
    ]);
    expect(first.observed.some((o) => o.port === untracked)).toBe(false);
    // The same socket again: no fd walk.
    const second = await tracker.scan();
    expect(second.walkedFds).toBe(false);
    expect(second.observed.map((o) => o.pid)).toEqual([process.pid]);
  });

  it('names a peer port by the local process of the connection a P record came from', async () => {
    const serverPort = await listen();
    const client = net.connect(serverPort, '127.0.0.1');
    closers.push(() => client.destroy());
    await new Promise<void>((resolve) => client.once('connect', resolve));
    const tracker = trackerFor([{ port: serverPort, peer: true }]);
    expect((await tracker.scan()).observed).toEqual([]);
    tracker.notePeerCall(client.localPort ?? 0, serverPort);
    const result = await tracker.scan();
    expect(result.observed).toEqual([
      expect.objectContaining({ port: serverPort, peer: true, pid: process.pid }),
    ]);
    // Looked up once per refresh period, not per record.
    tracker.notePeerCall(client.localPort ?? 0, serverPort);
    expect((await tracker.scan()).observed).toEqual([]);
  });

  it('finds nothing for a P record whose connection is gone', async () => {
    const serverPort = await listen();
    const tracker = trackerFor([{ port: serverPort, peer: true }]);
    tracker.notePeerCall(1, serverPort);
    expect((await tracker.scan()).observed).toEqual([]);
  });
});
