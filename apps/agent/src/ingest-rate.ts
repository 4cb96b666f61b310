/** Records per second over a sliding window of whole seconds. */
export class IngestRate {
  private readonly perSecond = new Map<number, number>();
  private lastSec = 0;

  constructor(private readonly windowSec = 10) {}

  add(count = 1, nowMs = Date.now()): void {
    const sec = Math.floor(nowMs / 1000);
    this.perSecond.set(sec, (this.perSecond.get(sec) ?? 0) + count);
    if (sec === this.lastSec) return;
    this.lastSec = sec;
    for (const s of this.perSecond.keys()) if (s <= sec - this.windowSec) this.perSecond.delete(s);
  }

  /** Average over the last `windowSec` complete seconds. */
  perSec(nowMs = Date.now()): number {
    const sec = Math.floor(nowMs / 1000);
    let total = 0;
    for (const [s, n] of this.perSecond) if (s < sec && s >= sec - this.windowSec) total += n;
    return total / this.windowSec;
  }
}
