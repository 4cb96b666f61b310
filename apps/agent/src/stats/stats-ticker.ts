import { formatStatsLine, namedStatsPorts, StatsAccumulator, type StatsLine, type TcprtConfig, type TcprtRecord } from '@tcprt/schema';

/** The original's first stats tick comes about 10 s after start, then one every stats_interval. */
const FIRST_TICK_MS = 10_000;

/**
 * Accumulates records into per-port stats while `stats: enable` and hands one batch of stats
 * lines to `onLines` per interval.
 */
export class StatsTicker {
  private accumulator: StatsAccumulator | null = null;
  private config: TcprtConfig | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly onLines: (lines: StatsLine[], text: string[]) => void,
    private readonly firstTickMs = FIRST_TICK_MS,
  ) {}

  /** Called with every applied config; a change of interval or ports takes effect from the next interval. */
  configure(config: TcprtConfig): void {
    const wasEnabled = this.config?.global.stats === 'enable';
    const intervalChanged = this.config?.global.stats_interval !== config.global.stats_interval;
    this.config = config;
    const enabled = config.global.stats === 'enable';
    if (!enabled) {
      this.stopTimer();
      this.accumulator = null;
      return;
    }
    if (!wasEnabled || intervalChanged) {
      this.stopTimer();
      this.accumulator ??= new StatsAccumulator(namedStatsPorts(config));
      this.schedule(wasEnabled ? config.global.stats_interval * 1000 : this.firstTickMs);
    }
  }

  add(record: TcprtRecord): void {
    this.accumulator?.add(record);
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.tick();
      if (this.config) this.schedule(this.config.global.stats_interval * 1000);
    }, delayMs);
    this.timer.unref();
  }

  private tick(): void {
    if (!this.accumulator || !this.config) return;
    const lines = this.accumulator.flush(Math.floor(Date.now() / 1000));
    // Named ports may have changed with the config: the next interval uses the current ones.
    this.accumulator = new StatsAccumulator(namedStatsPorts(this.config));
    this.onLines(lines, lines.map(formatStatsLine));
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  stop(): void {
    this.stopTimer();
  }
}
