import {
  formatStatsLine,
  namedStatsPorts,
  StatsAccumulator,
  type TcprtConfig,
  type TcprtRecord,
} from '@tcprt/schema';

/** SPEC §3: the first stats tick comes about 10 s after start, then one every stats_interval. */
const FIRST_TICK_MS = 10_000;

/**
 * Accumulates records and prints the SPEC §3 stats lines on schedule while stats are enabled.
 * A config change closes the running interval early (its lines print at once) and starts a new
 * one under the new settings, so no record is dropped from the stats.
 */
export class StatsTicker {
  private accumulator: StatsAccumulator | null = null;
  private timer: NodeJS.Timeout | null = null;
  private intervalMs = 0;

  constructor(
    config: TcprtConfig,
    private readonly print: (line: string) => void,
  ) {
    this.start(config, FIRST_TICK_MS);
  }

  add(record: TcprtRecord): void {
    this.accumulator?.add(record);
  }

  reconfigure(config: TcprtConfig): void {
    if (this.accumulator) this.printInterval();
    this.stop();
    this.start(config, config.global.stats_interval * 1000);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.accumulator = null;
  }

  private start(config: TcprtConfig, firstTickMs: number): void {
    if (config.global.stats !== 'enable') return;
    this.accumulator = new StatsAccumulator(namedStatsPorts(config));
    this.intervalMs = config.global.stats_interval * 1000;
    this.timer = setTimeout(() => this.tick(), Math.min(firstTickMs, this.intervalMs));
  }

  private tick(): void {
    this.printInterval();
    this.timer = setTimeout(() => this.tick(), this.intervalMs);
  }

  private printInterval(): void {
    const lines = this.accumulator?.flush(Math.floor(Date.now() / 1000)) ?? [];
    for (const line of lines) this.print(formatStatsLine(line));
  }
}
