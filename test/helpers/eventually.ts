// Waiting for an effect that lands asynchronously (a log line another process writes after its
// response, a cleanup after a client hung up), without guessing how long it takes: poll, and give
// up only after a bound no loaded machine reaches. Never for a TTL: those run on a fake clock.

/**
 * What `read` returns once `done` accepts it, polling every `intervalMs`; after `timeoutMs` the
 * last value is returned for the caller's assertion to show.
 */
export async function eventually<T>(read: () => T | Promise<T>, done: (value: T) => boolean, options: { intervalMs?: number; timeoutMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 20));
    value = await read();
  }
  return value;
}
