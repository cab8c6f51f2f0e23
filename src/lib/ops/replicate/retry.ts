// Retries one replication step (a manifest read, a blob copy, a manifest write) when the failure
// is transient: the network, a timeout, a 5xx, a 429 or bytes cut short. Exponential backoff with
// full jitter; a 429's Retry-After is waited out instead. Capped by attempts and by total time:
// a wait that would pass the deadline is not started, the last error is thrown instead.
import { UpstreamErrors } from '../../upstream/errors.js';

export interface RetryPolicy {
  /** Most attempts in all (1: no retry). */
  attempts: number;
  /** Most milliseconds from the first attempt to the start of the last. */
  maxTimeMs: number;
  /** First backoff; doubled each attempt. */
  baseMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<unknown>;
  random: () => number;
  /** Told of each retry, with the wait and the failure. */
  onRetry?: (attempt: number, waitMs: number, error: unknown) => void;
}

const TRANSIENT = new Set<string>([UpstreamErrors.UNAVAILABLE.code, UpstreamErrors.TIMEOUT.code, UpstreamErrors.RATE_LIMITED.code, UpstreamErrors.INTEGRITY.code]);

/** True for failures worth another attempt. */
export function isTransient(error: unknown): boolean {
  return TRANSIENT.has(String((error as { code?: unknown } | undefined)?.code));
}

/** The Retry-After a RATE_LIMITED failure carries, in ms. */
function retryAfterMs(error: unknown): number | undefined {
  const seconds = (error as { detail?: { retry_after?: unknown } } | undefined)?.detail?.retry_after;
  return typeof seconds === 'number' ? seconds * 1000 : undefined;
}

export async function withRetry<T>(step: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  const started = policy.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (!isTransient(error) || attempt >= policy.attempts) throw error;
      const backoff = Math.floor(policy.random() * policy.baseMs * 2 ** (attempt - 1));
      const wait = retryAfterMs(error) ?? backoff;
      if (policy.now() + wait - started > policy.maxTimeMs) throw error;
      policy.onRetry?.(attempt, wait, error);
      await policy.sleep(wait);
    }
  }
}
