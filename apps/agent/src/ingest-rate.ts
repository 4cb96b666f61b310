/**
 * Records per second over a sliding window of whole seconds. add() runs for every ingested
 * record, so it only counts: the clock is read when the count is filed under its second by
 * sample(), which the owner calls a few times a second (reading the clock and a map per record
 * was ~2 % of the ingest thread's CPU). A record is thus filed up to one sample period late.
 */
export class IngestRate {
  private readonly perSecond = new Map<number, number>();
  private lastSec = 0;
  private unsampled = 0;

  constructor(private readonly windowSec = 10) {}

  add(count = 1): void {
    this.unsampled += count;
  }

  /** Files the records added since the last sample under the current second. */
  sample(nowMs = Date.now()): void {
    const sec = Math.floor(nowMs / 1000);
    if (this.unsampled > 0)
      this.perSecond.set(sec, (this.perSecond.get(sec) ?? 0) + this.unsampled);
    this.unsampled = 0;
    if (sec === this.lastSec) return;
    this.lastSec = sec;
    for (const s of this.perSecond.keys()) if (s <= sec - this.windowSec) this.perSecond.delete(s);
  }

  /** Average over the last `windowSec` complete seconds. */
  perSec(nowMs = Date.now()): number {
    this.sample(nowMs);
    const sec = Math.floor(nowMs / 1000);
    let total = 0;
    for (const [s, n] of this.perSecond) if (s < sec && s >= sec - this.windowSec) total += n;
    return total / this.windowSec;
  }
}
