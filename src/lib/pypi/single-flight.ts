// One in-flight operation per key: concurrent callers for the same key share the first
// caller's promise, so N simultaneous requests for an uncached page cause one upstream fetch.
export class SingleFlight {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) return existing as Promise<T>;
    const promise = work().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  /** The promise of the operation running for `key`, if any. */
  pending(key: string): Promise<unknown> | undefined {
    return this.inFlight.get(key);
  }
}
