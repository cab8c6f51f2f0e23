// Failed-login throttling: token buckets refilled at `rps`. Every failure costs a token in the
// client address's bucket (`addressBurst`; an IPv6 client counts by its /64, which one host
// owns) and, when a user name was given, in the (user name, address) bucket (`burst`). With
// lockout "user" it also costs one in the user name's own bucket from every address: that stops
// guessing spread over many addresses, but lets anyone lock a user out, so it is not the default.
// An empty bucket answers 429 with the seconds until it holds a token again.
export type LockoutPolicy = 'user_address' | 'user';

export interface LimiterOptions {
  rps: number;
  burst: number;
  addressBurst: number;
  lockout: LockoutPolicy;
  /** The clock (ms since the epoch); tests move it. */
  now?: () => number;
  /** Buckets kept before full ones are forgotten (memory stays bounded under a flood of names). */
  maxBuckets?: number;
}

export interface Attempt {
  /** The client's address, already validated (see the server's client-address). */
  address: string;
  /** The user name the attempt claimed, if any. */
  user?: string;
}

interface Bucket { tokens: number; at: number; burst: number }

/** A user name longer than any valid one is cut: a 10 KB name must not make a 10 KB key. */
const MAX_NAME_IN_KEY = 128;

export class LoginLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly maxBuckets: number;

  constructor(private readonly options: LimiterOptions) {
    this.now = options.now ?? Date.now;
    this.maxBuckets = options.maxBuckets ?? 100_000;
  }

  /** Seconds to wait before another attempt like this one, or 0 when it may go ahead. */
  blocked(attempt: Attempt): number {
    const now = this.now();
    let wait = 0;
    for (const { key } of this.keysOf(attempt)) {
      const bucket = this.buckets.get(key);
      if (!bucket) continue;
      this.refill(bucket, now);
      if (bucket.tokens < 1) wait = Math.max(wait, this.options.rps > 0 ? Math.ceil((1 - bucket.tokens) / this.options.rps) : 3600);
    }
    return wait;
  }

  /** Records a failed attempt in every bucket it counts against. */
  fail(attempt: Attempt): void {
    const now = this.now();
    for (const { key, burst } of this.keysOf(attempt)) {
      let bucket = this.buckets.get(key);
      if (!bucket) {
        if (this.buckets.size >= this.maxBuckets) this.prune(now);
        bucket = { tokens: burst, at: now, burst };
        this.buckets.set(key, bucket);
      }
      this.refill(bucket, now);
      bucket.tokens = Math.max(0, bucket.tokens - 1);
    }
  }

  private keysOf({ address, user }: Attempt): Array<{ key: string; burst: number }> {
    const where = addressKey(address);
    const keys = [{ key: `a\0${where}`, burst: this.options.addressBurst }];
    if (user !== undefined) {
      const name = user.slice(0, MAX_NAME_IN_KEY);
      keys.push({ key: `ua\0${name}\0${where}`, burst: this.options.burst });
      if (this.options.lockout === 'user') keys.push({ key: `u\0${name}`, burst: this.options.burst });
    }
    return keys;
  }

  private refill(bucket: Bucket, now: number): void {
    bucket.tokens = Math.min(bucket.burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * this.options.rps);
    bucket.at = now;
  }

  /**
   * Makes room for a tenth of the buckets, so a flood pays for one scan per tenth: first by
   * forgetting buckets that have refilled (they mean nothing), then ones that throttle nobody yet
   * (a flood of new names must not evict the bucket holding an attacker back), then the oldest.
   */
  private prune(now: number): void {
    const target = Math.floor(this.maxBuckets * 0.9);
    for (const minimum of ['full', 'open'] as const) {
      for (const [key, bucket] of this.buckets) {
        this.refill(bucket, now);
        if (bucket.tokens >= (minimum === 'full' ? bucket.burst : 1)) this.buckets.delete(key);
      }
      if (this.buckets.size <= target) return;
    }
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= target) break;
      this.buckets.delete(key);
    }
  }

  /** Buckets held (tests bound memory with it). */
  get size(): number {
    return this.buckets.size;
  }
}

/** An IPv4 address as is; an IPv6 address as its /64 (one host may own all of it). */
export function addressKey(address: string): string {
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.split('%', 1)[0]!.toLowerCase().split('::');
  const groups = (part: string) => (part ? part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const all = tail === undefined ? groups(head) : [...groups(head), ...Array<string>(Math.max(0, 8 - groups(head).length - groups(tail).length)).fill('0'), ...groups(tail)];
  return `${all.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
