import { runCommand } from './command';

export interface ShapedLinkOptions {
  /** Server → client rate enforced by a TBF qdisc on the server's side of the link. */
  rateBytesPerSec: number;
}

export interface ShapedLink {
  serverNetns: string;
  clientNetns: string;
  serverAddress: string;
  clientAddress: string;
  rateBytesPerSec: number;
  /** MTU of both veth ends (the Ethernet header comes on top of it on the wire). */
  mtu: number;
  /** Deletes both namespaces, which removes the veth pair and the qdisc with them. */
  stop(): Promise<void>;
}

// Private addresses that exist only inside the two namespaces made here: traffic between them
// never leaves this machine, and the root namespace's routes are not touched.
const SERVER_ADDRESS = '10.200.0.1';
const CLIENT_ADDRESS = '10.200.0.2';
const PREFIX_LENGTH = 30;
const MTU = 1500;
// TBF needs a bucket of at least one full frame; a small bucket keeps the initial burst (which
// leaves at line rate) negligible next to a transfer of megabytes.
const BURST_BYTES = 16 * 1024;
const QUEUE_LATENCY = '200ms';

let linkCount = 0;

async function ip(args: string[]): Promise<void> {
  await runCommand(['ip', ...args]);
}

/**
 * Two fresh network namespaces joined by a veth pair, the server's end shaped by TBF to
 * `rateBytesPerSec` (a rate of whole frames, Ethernet/IP/TCP headers included).
 */
export async function createShapedLink(options: ShapedLinkOptions): Promise<ShapedLink> {
  if (!(options.rateBytesPerSec > 0))
    throw new Error('createShapedLink: rateBytesPerSec must be positive');
  linkCount += 1;
  const id = `tcprt-${process.pid}-${linkCount}`;
  const serverNetns = `${id}-srv`;
  const clientNetns = `${id}-cli`;
  const stop = async () => {
    await runCommand(['ip', 'netns', 'delete', serverNetns], { allowFailure: true });
    await runCommand(['ip', 'netns', 'delete', clientNetns], { allowFailure: true });
  };
  try {
    await ip(['netns', 'add', serverNetns]);
    await ip(['netns', 'add', clientNetns]);
    await ip([
      'link',
      'add',
      'veth-srv',
      'netns',
      serverNetns,
      'mtu',
      String(MTU),
      'type',
      'veth',
      'peer',
      'name',
      'veth-cli',
      'netns',
      clientNetns,
      'mtu',
      String(MTU),
    ]);
    for (const [netns, dev, address] of [
      [serverNetns, 'veth-srv', SERVER_ADDRESS],
      [clientNetns, 'veth-cli', CLIENT_ADDRESS],
    ] as const) {
      await ip(['-n', netns, 'addr', 'add', `${address}/${PREFIX_LENGTH}`, 'dev', dev]);
      await ip(['-n', netns, 'link', 'set', dev, 'up']);
      await ip(['-n', netns, 'link', 'set', 'lo', 'up']);
    }
    await runCommand([
      'tc',
      '-n',
      serverNetns,
      'qdisc',
      'add',
      'dev',
      'veth-srv',
      'root',
      'tbf',
      'rate',
      `${options.rateBytesPerSec * 8}bit`,
      'burst',
      String(BURST_BYTES),
      'latency',
      QUEUE_LATENCY,
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    serverNetns,
    clientNetns,
    serverAddress: SERVER_ADDRESS,
    clientAddress: CLIENT_ADDRESS,
    rateBytesPerSec: options.rateBytesPerSec,
    mtu: MTU,
    stop,
  };
}

/** Runs `body` with a fresh shaped link and removes the link afterwards, also when `body` fails. */
export async function withShapedLink<T>(
  options: ShapedLinkOptions,
  body: (link: ShapedLink) => Promise<T>,
): Promise<T> {
  const link = await createShapedLink(options);
  try {
    return await body(link);
  } finally {
    await link.stop();
  }
}
