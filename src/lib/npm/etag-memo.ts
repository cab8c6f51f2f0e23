// Remembers, for one second, which stored version of a package document this process last saw
// (or that there was none), so hot packument reads skip a storage round trip. This process's own
// writes forget the entry at once; another process's write becomes visible within the second.
const FRESH_MS = 1000;

export class EtagMemo {
  private readonly entries = new Map<string, { etag: string | undefined; at: number }>();

  constructor(private readonly capacity = 10_000, private readonly now: () => number = Date.now) {}

  /** The remembered etag ({ etag: undefined } = known absent), or undefined when not fresh. */
  get(name: string): { etag: string | undefined } | undefined {
    const entry = this.entries.get(name);
    if (!entry) return undefined;
    if (this.now() - entry.at > FRESH_MS) {
      this.entries.delete(name);
      return undefined;
    }
    return entry;
  }

  set(name: string, etag: string | undefined): void {
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(name, { etag, at: this.now() });
  }

  forget(name: string): void {
    this.entries.delete(name);
  }
}
