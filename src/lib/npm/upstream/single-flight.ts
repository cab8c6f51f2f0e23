// Collapses concurrent work on one key into one run: callers that arrive while it is in flight
// get the same promise; the key is free again once it settles (success or failure).
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  get(key: string): Promise<T> | undefined {
    return this.inFlight.get(key);
  }

  run(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) return existing;
    const promise = work();
    this.inFlight.set(key, promise);
    promise.then(() => this.inFlight.delete(key), () => this.inFlight.delete(key));
    return promise;
  }
}
