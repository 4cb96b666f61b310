import { runCommand } from './command';

/** Rates in bytes of whole frames per second (Ethernet/IP/TCP headers included); unset = unshaped. */
export interface ShapedLinkOptions {
  /** Download direction: a TBF qdisc on the server's end of the link. */
  serverToClientBytesPerSec?: number;
  /** Upload direction: a TBF qdisc on the client's end of the link. */
  clientToServerBytesPerSec?: number;
  /**
   * How long a packet may wait in a shaping queue before TBF drops it (default 200 ms, enough
   * for no drops). A short queue makes a bulk transfer lose packets and retransmit.
   */
  queueLatencyMs?: number;
}

export interface ShapedLink extends ShapedLinkOptions {
  serverNetns: string;
  clientNetns: string;
  serverAddress: string;
  clientAddress: string;
  /** MTU of both veth ends (the Ethernet header comes on top of it on the wire). */
  mtu: number;
  /** Deletes both namespaces, which removes the veth pair and the qdiscs with them. */
  stop(): Promise<void>;
}

// Private addresses that exist only inside the two namespaces made here: traffic between them
// never leaves this machine, and the root namespace's routes are not touched.
const SERVER_ADDRESS = '10.200.0.1';
const CLIENT_ADDRESS = '10.200.0.2';
const PREFIX_LENGTH = 30;
const MTU = 1500;
const SERVER_DEV = 'veth-srv';
const CLIENT_DEV = 'veth-cli';
// TBF needs a bucket of at least one full frame; a small bucket keeps the initial burst (which
// leaves at line rate) negligible next to a transfer of megabytes.
const BURST_BYTES = 16 * 1024;
const DEFAULT_QUEUE_LATENCY_MS = 200;

let linkCount = 0;

async function ip(args: string[]): Promise<void> {
  await runCommand(['ip', ...args]);
}

async function shape(
  netns: string,
  dev: string,
  bytesPerSec: number | undefined,
  queueLatencyMs: number,
): Promise<void> {
  if (bytesPerSec === undefined) return;
  if (!(bytesPerSec > 0))
    throw new Error(`shaped link: a rate must be positive, got ${bytesPerSec}`);
  await runCommand([
    'tc',
    '-n',
    netns,
    'qdisc',
    'add',
    'dev',
    dev,
    'root',
    'tbf',
    'rate',
    `${bytesPerSec * 8}bit`,
    'burst',
    String(BURST_BYTES),
    'latency',
    `${queueLatencyMs}ms`,
  ]);
}

/** Two fresh network namespaces joined by a veth pair, each direction optionally shaped by TBF. */
export async function createShapedLink(options: ShapedLinkOptions): Promise<ShapedLink> {
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
      SERVER_DEV,
      'netns',
      serverNetns,
      'mtu',
      String(MTU),
      'type',
      'veth',
      'peer',
      'name',
      CLIENT_DEV,
      'netns',
      clientNetns,
      'mtu',
      String(MTU),
    ]);
    for (const [netns, dev, address] of [
      [serverNetns, SERVER_DEV, SERVER_ADDRESS],
      [clientNetns, CLIENT_DEV, CLIENT_ADDRESS],
    ] as const) {
      await ip(['-n', netns, 'addr', 'add', `${address}/${PREFIX_LENGTH}`, 'dev', dev]);
      await ip(['-n', netns, 'link', 'set', dev, 'up']);
      await ip(['-n', netns, 'link', 'set', 'lo', 'up']);
    }
    const queueLatencyMs = options.queueLatencyMs ?? DEFAULT_QUEUE_LATENCY_MS;
    await shape(serverNetns, SERVER_DEV, options.serverToClientBytesPerSec, queueLatencyMs);
    await shape(clientNetns, CLIENT_DEV, options.clientToServerBytesPerSec, queueLatencyMs);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    ...options,
    serverNetns,
    clientNetns,
    serverAddress: SERVER_ADDRESS,
    clientAddress: CLIENT_ADDRESS,
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

const ETHERNET_HEADER_BYTES = 14;

/**
 * Time a link shaped to `bytesPerSec` needs for `payloadBytes` of TCP payload: TBF meters whole
 * frames, so each MSS-sized segment also costs its IP/TCP headers (MTU − MSS) and the Ethernet
 * header.
 */
export function shapedTransferUs(
  payloadBytes: number,
  bytesPerSec: number,
  mss: number,
  mtu: number,
): number {
  const segments = Math.ceil(payloadBytes / mss);
  const wireBytes = payloadBytes + segments * (mtu - mss + ETHERNET_HEADER_BYTES);
  return (wireBytes / bytesPerSec) * 1e6;
}
