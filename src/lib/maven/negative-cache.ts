// Remembers, for a short while, paths every upstream answered 404 for, so a build asking again
// and again for a missing artifact does not hit the upstreams each time. In memory only: it is
// derived, bounded, and losing it costs one more upstream request.
export class NegativeCache {
  private readonly until = new Map<string, number>();

  constructor(private readonly ttlMs: number, private readonly maxEntries = 10_000, private readonly now = () => Date.now()) {}

  has(key: string): boolean {
    const expiry = this.until.get(key);
    if (expiry === undefined) return false;
    if (expiry > this.now()) return true;
    this.until.delete(key);
    return false;
  }

  add(key: string): void {
    if (this.ttlMs <= 0) return;
    this.until.delete(key);
    this.until.set(key, this.now() + this.ttlMs);
    // Maps iterate in insertion order: the first key is the oldest entry.
    if (this.until.size > this.maxEntries) this.until.delete(this.until.keys().next().value!);
  }

  clear(key: string): void {
    this.until.delete(key);
  }
}
