import os from 'node:os';
import type { CollectorState, TcprtConfig, TcprtRecord } from '@tcprt/schema';
import type { CollectorHandle, CollectorHealthReport, StartCollector } from './collector-port';

const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
/** A collector that ran this long without dying counts as healthy again: backoff starts over. */
const HEALTHY_AFTER_MS = 60_000;

export interface CollectorStatus {
  state: CollectorState;
  active: boolean;
  restarts: number;
  lastError: string | null;
  kernel: string;
  support: Record<string, boolean>;
  lostRecords: number;
}

/** Runs the collector, restarts it with exponential backoff when it dies and keeps its health. */
export class CollectorSupervisor {
  private handle: CollectorHandle | null = null;
  private config: TcprtConfig | null = null;
  private active = true;
  private stopped = false;
  private backoffMs = FIRST_BACKOFF_MS;
  private restartTimer: NodeJS.Timeout | null = null;
  private startedAtMs = 0;
  /** Lost-record counters of earlier collector runs: each run counts from zero. */
  private lostBefore = 0;
  private readonly status: CollectorStatus = {
    state: 'stopped',
    active: true,
    restarts: 0,
    lastError: null,
    kernel: os.release(),
    support: {},
    lostRecords: 0,
  };

  constructor(
    private readonly startCollector: StartCollector,
    private readonly onRecord: (record: TcprtRecord) => void,
  ) {}

  async start(config: TcprtConfig): Promise<void> {
    this.config = config;
    this.status.state = 'starting';
    await this.launch();
  }

  private async launch(): Promise<void> {
    if (this.stopped || !this.config) return;
    const runLost = { value: 0 };
    let handle: CollectorHandle | undefined;
    try {
      handle = await this.startCollector({
        config: this.config,
        onRecord: this.onRecord,
        onHealth: (h) => this.onHealth(h, runLost),
        onExit: (reason) => this.onExit(handle, reason, runLost),
      });
      this.handle = handle;
      this.startedAtMs = Date.now();
      this.status.state = this.active ? 'running' : 'deactivated';
      if (!this.active) await handle.deactivate();
    } catch (err) {
      this.scheduleRestart(err instanceof Error ? err.message : String(err), runLost);
    }
  }

  private onHealth(h: CollectorHealthReport, runLost: { value: number }): void {
    if (h.lostRecords !== undefined) {
      runLost.value = h.lostRecords;
      this.status.lostRecords = this.lostBefore + h.lostRecords;
    }
    if (h.kernel !== undefined) this.status.kernel = h.kernel;
    if (h.support !== undefined) this.status.support = h.support;
  }

  private onExit(
    handle: CollectorHandle | undefined,
    reason: string,
    runLost: { value: number },
  ): void {
    if (handle && this.handle !== handle) return;
    this.handle = null;
    if (this.stopped) return;
    this.scheduleRestart(reason, runLost);
  }

  private scheduleRestart(reason: string, runLost: { value: number }): void {
    this.lostBefore += runLost.value;
    this.status.lastError = reason;
    if (this.stopped) return;
    const ranHealthy = this.startedAtMs > 0 && Date.now() - this.startedAtMs > HEALTHY_AFTER_MS;
    if (ranHealthy) this.backoffMs = FIRST_BACKOFF_MS;
    this.startedAtMs = 0;
    this.status.state = 'restarting';
    this.status.restarts++;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    this.restartTimer = setTimeout(() => void this.launch(), delay);
  }

  async applyConfig(config: TcprtConfig): Promise<void> {
    this.config = config;
    if (this.handle && this.active) await this.handle.applyConfig(config);
  }

  /** false: stop tracking new connections (tracked ones finish); true: track new ones again. */
  async setActive(active: boolean): Promise<void> {
    this.active = active;
    this.status.active = active;
    if (!this.handle) return;
    if (active) {
      await this.handle.activate();
      this.status.state = 'running';
    } else if (!active) {
      await this.handle.deactivate();
      this.status.state = 'deactivated';
    }
  }

  snapshot(): CollectorStatus {
    return { ...this.status, support: { ...this.status.support } };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const handle = this.handle;
    this.handle = null;
    this.status.state = 'stopped';
    if (handle) await handle.stop();
  }
}
