import { portRangeOf, ruleIsPeer, type PortRange, type TcprtConfig } from '@tcprt/schema';
import { TCP_LISTEN, type ProcTcpSocket } from './proc-net-tcp';
import {
  isAlive,
  parentPid,
  readProcess,
  readTcpSockets,
  socketOwners,
  type ProcessInfo,
} from './proc-reader';

/** A process seen serving a port: for a local port the listener, for a peer port the caller. */
export interface ObservedService extends ProcessInfo {
  port: number;
  peer: boolean;
  seenMs: number;
}

export interface ScanResult {
  observed: ObservedService[];
  /** Whether the scan had to read every process's fd links (a socket it looked for was new). */
  walkedFds: boolean;
  durationMs: number;
}

/** How often listeners on tracked ports are looked for: a restarted server is named within this. */
export const SCAN_EVERY_MS = 5_000;
/** The soonest a peer call triggers a scan after the previous one. */
const MIN_SCAN_GAP_MS = 2_000;
/** A peer port's caller is looked up again after this long (another process may call it by then). */
const PEER_REFRESH_MS = 30_000;
/** Peer connections waiting for the next scan; more in one scan interval are not looked up. */
const MAX_PENDING_PEER_CALLS = 256;

/**
 * Finds the processes behind tracked ports from /proc, every SCAN_EVERY_MS: the process listening
 * on each tracked local port, and for peer ports the process that owned a P record's connection.
 * Reading the socket tables is cheap; the fd walk that maps a socket to its process runs only when
 * a socket looked for was not seen in the previous scan (a server (re)started, a new caller).
 * Sockets of other network namespaces (containers with their own network) are not seen.
 */
export class PortServiceTracker {
  private localRanges: PortRange[] = [];
  /** Peer connections to resolve at the next scan, keyed `localPort|peerPort`. */
  private readonly pendingPeerCalls = new Map<string, { localPort: number; peerPort: number }>();
  private readonly peerResolvedAtMs = new Map<number, number>();
  /** Socket inode → the processes holding it, as of the last fd walk. */
  private owners = new Map<number, number[]>();
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private running: Promise<ScanResult> | null = null;
  private lastScanMs = 0;

  constructor(private readonly report: (observed: ObservedService[]) => void) {}

  /** Tracked local ports are looked for; rules only, since a listener needs no traffic to be named. */
  setConfig(config: TcprtConfig): void {
    this.localRanges = config['per-port']
      .filter((rule) => !ruleIsPeer(rule, config.global.peer))
      .map((rule) => portRangeOf(rule.port));
  }

  start(): void {
    this.timer ??= setInterval(() => void this.scanAndReport(), SCAN_EVERY_MS);
    this.timer.unref();
    void this.scanAndReport();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.timer = this.soon = null;
  }

  /**
   * A P record arrived: its connection (our `localPort` to the remote `peerPort`) usually still
   * exists, so the process holding it is looked up at the next scan, brought forward to at most
   * MIN_SCAN_GAP_MS from the last. Called per P record: a map lookup unless the port is due.
   */
  notePeerCall(localPort: number, peerPort: number, nowMs: number = Date.now()): void {
    const resolvedAt = this.peerResolvedAtMs.get(peerPort);
    if (resolvedAt !== undefined && nowMs - resolvedAt < PEER_REFRESH_MS) return;
    if (this.pendingPeerCalls.size >= MAX_PENDING_PEER_CALLS) return;
    this.pendingPeerCalls.set(`${localPort}|${peerPort}`, { localPort, peerPort });
    if (this.soon || !this.timer) return;
    const delayMs = Math.max(0, this.lastScanMs + MIN_SCAN_GAP_MS - nowMs);
    this.soon = setTimeout(() => {
      this.soon = null;
      void this.scanAndReport();
    }, delayMs);
    this.soon.unref();
  }

  private async scanAndReport(): Promise<void> {
    try {
      const { observed } = await this.scan();
      // Not after stop(): the database may be closed by the time a walk ends.
      if (observed.length && this.timer) this.report(observed);
    } catch (err) {
      process.stderr.write(`tcprt agent: port services: ${(err as Error).message}\n`);
    }
  }

  /** One scan (one at a time: a call during a scan gets that scan's result). */
  scan(): Promise<ScanResult> {
    this.running ??= this.scanOnce().finally(() => (this.running = null));
    return this.running;
  }

  private isTrackedLocal(port: number): boolean {
    return this.localRanges.some((r) => r.start <= port && port <= r.end);
  }

  private async scanOnce(): Promise<ScanResult> {
    const startedAt = performance.now();
    const nowMs = Date.now();
    this.lastScanMs = nowMs;
    const sockets = readTcpSockets();
    const wanted: { port: number; peer: boolean; inodes: number[] }[] = [
      ...this.listeners(sockets),
      ...this.peerCallSockets(sockets),
    ];
    const inodes = new Set(wanted.flatMap((w) => w.inodes));
    const known = [...inodes].every((inode) => this.owners.get(inode)?.every(isAlive));
    if (!known) {
      this.owners = await socketOwners(inodes);
      // Remembered as held by no process, so a socket no fd holds does not walk every scan.
      for (const inode of inodes) if (!this.owners.has(inode)) this.owners.set(inode, []);
    }
    const observed: ObservedService[] = [];
    for (const { port, peer, inodes: portInodes } of wanted) {
      const pid = mainOwner(portInodes.flatMap((inode) => this.owners.get(inode) ?? []));
      const info = pid === null ? null : readProcess(pid);
      if (!info) continue;
      observed.push({ ...info, port, peer, seenMs: nowMs });
      if (peer) this.peerResolvedAtMs.set(port, nowMs);
    }
    return { observed, walkedFds: !known, durationMs: performance.now() - startedAt };
  }

  private listeners(sockets: ProcTcpSocket[]): { port: number; peer: boolean; inodes: number[] }[] {
    const byPort = new Map<number, number[]>();
    for (const s of sockets) {
      if (s.state !== TCP_LISTEN || s.inode === 0 || !this.isTrackedLocal(s.localPort)) continue;
      byPort.set(s.localPort, [...(byPort.get(s.localPort) ?? []), s.inode]);
    }
    return [...byPort].map(([port, inodes]) => ({ port, peer: false, inodes }));
  }

  /** The sockets of the pending peer calls that still exist, one caller per peer port. */
  private peerCallSockets(
    sockets: ProcTcpSocket[],
  ): { port: number; peer: boolean; inodes: number[] }[] {
    const byPeerPort = new Map<number, number[]>();
    for (const s of sockets) {
      if (s.inode === 0 || s.state === TCP_LISTEN || byPeerPort.has(s.remotePort)) continue;
      if (this.pendingPeerCalls.has(`${s.localPort}|${s.remotePort}`))
        byPeerPort.set(s.remotePort, [s.inode]);
    }
    this.pendingPeerCalls.clear();
    return [...byPeerPort].map(([port, inodes]) => ({ port, peer: true, inodes }));
  }
}

/**
 * The process that owns a socket several processes hold: the one whose parent does not hold it
 * too (nginx's master, not its workers); the lowest pid among several such.
 */
function mainOwner(pids: number[]): number | null {
  const holders = new Set(pids);
  if (holders.size === 0) return null;
  const roots = [...holders].filter((pid) => !holders.has(parentPid(pid) ?? -1));
  return Math.min(...(roots.length ? roots : [...holders]));
}
