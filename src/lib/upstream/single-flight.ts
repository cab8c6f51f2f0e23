// Collapses concurrent work on one key into one run: callers that arrive while it is in flight
// get the same promise, so N clients asking for one uncached thing cause one upstream request.
// The key is free again once the work settles (success or failure).
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  /** The work running for `key`, if any. */
  get(key: string): Promise<T> | undefined {
    return this.inFlight.get(key);
  }

  run(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) return existing;
    const promise = work();
    this.inFlight.set(key, promise);
    const forget = () => { if (this.inFlight.get(key) === promise) this.inFlight.delete(key); };
    promise.then(forget, forget);
    return promise;
  }
}
