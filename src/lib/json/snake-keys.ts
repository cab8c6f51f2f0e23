// The JSON NORA prints (the /api answers and every CLI result) uses snake_case keys, like the
// configuration (`keep_last`, `dry_run`): code keeps camelCase, this turns it at the edge.

/** `lastPulled` -> `last_pulled`, `durationMs` -> `duration_ms`; snake_case and single words stay. */
export function snakeCase(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * A copy of `value` whose plain objects have snake_case keys, at every depth. Arrays are walked;
 * everything else (strings, numbers, Dates, Buffers) is returned as is. Depth is that of NORA's
 * own answers (a few levels), never of client input.
 */
export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [snakeCase(key), snakeKeys(inner)]));
}
