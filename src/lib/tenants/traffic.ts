// A tenant's traffic on this server: pushes, pulls and bytes in and out, counted in one-minute
// buckets over the last 24 hours (bounded memory: at most 1,440 buckets per series). The hourly
// push and pull limits read the last 60 buckets. Counts live in this process only: each server
// enforces its own limits (a tenant with limit N may do up to N per server on one store).
const MINUTE = 60_000;
const HOUR_BUCKETS = 60;
const DAY_BUCKETS = 1440;

export class Series {
  private readonly buckets = new Map<number, number>();

  add(now: number, amount = 1): void {
    const minute = Math.floor(now / MINUTE);
    this.buckets.set(minute, (this.buckets.get(minute) ?? 0) + amount);
    if (this.buckets.size > DAY_BUCKETS) this.prune(minute);
  }

  /** Sum over the last `minutes` buckets (the current one included). */
  sum(now: number, minutes: number): number {
    const current = Math.floor(now / MINUTE);
    let total = 0;
    for (const [minute, count] of this.buckets) if (minute > current - minutes) total += count;
    return total;
  }

  lastHour(now: number): number {
    return this.sum(now, HOUR_BUCKETS);
  }

  lastDay(now: number): number {
    return this.sum(now, DAY_BUCKETS);
  }

  /** Seconds until fewer than `limit` operations remain in the hour's window (0: now). */
  secondsUntilBelow(now: number, limit: number): number {
    const current = Math.floor(now / MINUTE);
    const inWindow = [...this.buckets].filter(([minute]) => minute > current - HOUR_BUCKETS).sort((a, b) => a[0] - b[0]);
    let count = inWindow.reduce((sum, [, n]) => sum + n, 0);
    if (count < limit) return 0;
    for (const [minute, n] of inWindow) {
      count -= n;
      // The bucket leaves the window when the minute HOUR_BUCKETS after it begins.
      if (count < limit) return Math.max(1, Math.ceil(((minute + HOUR_BUCKETS) * MINUTE - now) / 1000));
    }
    return 3600;
  }

  private prune(current: number): void {
    for (const minute of this.buckets.keys()) if (minute <= current - DAY_BUCKETS) this.buckets.delete(minute);
  }
}

export class TenantTraffic {
  readonly pushes = new Series();
  readonly pulls = new Series();
  readonly bytesIn = new Series();
  readonly bytesOut = new Series();
}
