// Failed-login throttling: a token bucket per key (client address, username). Each failure takes
// a token; with none left the caller must wait `retryAfter` seconds (answered as 429).
export class LoginLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly rps: number, private readonly burst: number) {}

  private refill(key: string, now: number): { tokens: number; at: number } {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rps);
    bucket.at = now;
    this.buckets.set(key, bucket);
    return bucket;
  }

  /** Seconds to wait before another attempt for any of `keys`, or 0 when allowed. */
  blocked(keys: string[], now = Date.now()): number {
    let wait = 0;
    for (const key of keys) {
      if (!this.buckets.has(key)) continue;
      const bucket = this.refill(key, now);
      if (bucket.tokens < 1) wait = Math.max(wait, this.rps > 0 ? Math.ceil((1 - bucket.tokens) / this.rps) : 3600);
    }
    return wait;
  }

  /** Records a failed attempt against every key. */
  fail(keys: string[], now = Date.now()): void {
    for (const key of keys) {
      const bucket = this.refill(key, now);
      bucket.tokens = Math.max(0, bucket.tokens - 1);
    }
    if (this.buckets.size > 100_000) this.buckets.clear();
  }
}
