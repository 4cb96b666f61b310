import os from 'node:os';
import type { CollectorGap, CollectorState, TcprtConfig, TcprtRecord } from '@tcprt/schema';
import { RulesRefusedError } from '../collector/rules-command';
import type { CollectorHandle, CollectorHealthReport, StartCollector } from './collector-port';

const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
/** A collector that ran this long without dying counts as healthy again: backoff starts over. */
const HEALTHY_AFTER_MS = 60_000;
/** Gaps kept for status: the most recent ones. */
export const MAX_GAPS_KEPT = 20;

export interface CollectorStatus {
  state: CollectorState;
  active: boolean;
  restarts: number;
  lastError: string | null;
  kernel: string;
  support: Record<string, boolean>;
  lostRecords: number;
  gaps: CollectorGap[];
}

/**
 * Runs the collector, restarts it with exponential backoff when it dies and keeps its health.
 * It keeps the last rule set the loader accepted: a refused one never replaces it, and a
 * restart whose rules are refused starts again at once on the accepted ones (no restart loop).
 */
export class CollectorSupervisor {
  private handle: CollectorHandle | null = null;
  /** The config to run: the latest one given, once the loader has not refused it. */
  private wanted: TcprtConfig | null = null;
  /** The last config whose rules the loader accepted. */
  private accepted: TcprtConfig | null = null;
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
    gaps: [],
  };

  constructor(
    private readonly startCollector: StartCollector,
    private readonly onRecord: (record: TcprtRecord) => void,
    /** A config whose rules the loader refused at a (re)start; it runs `fallback` instead. */
    private readonly onRulesRefused: (
      refused: TcprtConfig,
      reason: string,
      fallback: TcprtConfig,
    ) => void = () => {},
  ) {}

  async start(config: TcprtConfig): Promise<void> {
    this.wanted = config;
    this.status.state = 'starting';
    await this.launch();
  }

  private async launch(): Promise<void> {
    if (this.stopped || !this.wanted) return;
    const config = this.wanted;
    const runLost = { value: 0 };
    let handle: CollectorHandle | undefined;
    try {
      handle = await this.startCollector({
        config,
        onRecord: this.onRecord,
        onHealth: (h) => this.onHealth(h, runLost),
        onExit: (reason) => this.onExit(handle, reason, runLost),
      });
      this.handle = handle;
      this.accepted = config;
      this.startedAtMs = Date.now();
      this.closeGap();
      this.status.state = this.active ? 'running' : 'deactivated';
      if (!this.active) await handle.deactivate();
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (err instanceof RulesRefusedError && config !== this.accepted) {
        // Run what ran before (or no rules at all) right away and report the refusal.
        const fallback = this.accepted ?? { ...config, 'per-port': [] };
        this.wanted = fallback;
        this.onRulesRefused(config, reason, fallback);
        this.status.lastError = reason;
        this.openGap(reason);
        await this.launch();
        return;
      }
      this.scheduleRestart(reason, runLost, 'failed');
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
    this.scheduleRestart(reason, runLost, 'restarting');
  }

  /** The collector is not attached from now until the next start succeeds: a gap in the records. */
  private openGap(reason: string): void {
    const last = this.status.gaps.at(-1);
    if (last && last.endMs === null) return;
    this.status.gaps.push({ startMs: Date.now(), endMs: null, reason });
    if (this.status.gaps.length > MAX_GAPS_KEPT) this.status.gaps.shift();
  }

  private closeGap(): void {
    const last = this.status.gaps.at(-1);
    if (last && last.endMs === null) last.endMs = Date.now();
  }

  /**
   * 'restarting': a collector that ran has died; 'failed': the last attempt could not start one.
   * Either way the next attempt comes after the backoff.
   */
  private scheduleRestart(
    reason: string,
    runLost: { value: number },
    state: 'restarting' | 'failed',
  ): void {
    this.lostBefore += runLost.value;
    this.status.lastError = reason;
    if (this.stopped) return;
    this.openGap(reason);
    const ranHealthy = this.startedAtMs > 0 && Date.now() - this.startedAtMs > HEALTHY_AFTER_MS;
    if (ranHealthy) this.backoffMs = FIRST_BACKOFF_MS;
    this.startedAtMs = 0;
    this.status.state = state;
    this.status.restarts++;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    this.restartTimer = setTimeout(() => void this.launch(), delay);
  }

  /**
   * Hands new rules to the running collector. Rejects with RulesRefusedError when the loader
   * refuses them (the accepted rules keep running). With no collector running, the config is
   * kept for the next start.
   */
  async applyConfig(config: TcprtConfig): Promise<void> {
    if (this.handle && this.active) {
      try {
        await this.handle.applyConfig(config);
        this.accepted = config;
      } catch (err) {
        if (err instanceof RulesRefusedError) throw err;
        // The collector went away meanwhile: its restart takes this config.
      }
    }
    this.wanted = config;
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
    return {
      ...this.status,
      support: { ...this.status.support },
      gaps: this.status.gaps.map((g) => ({ ...g })),
    };
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
