// One durable queue item: its stored document (snake_case JSON, one per item), the shape callers
// see, and the retry schedule (exponential backoff with jitter) that `fail` applies.

/** pending: waiting (maybe for its backoff); claimed: a process works on it; done; dead: gave up. */
export type ItemState = 'pending' | 'claimed' | 'done' | 'dead';

export const ITEM_STATES: readonly ItemState[] = ['pending', 'claimed', 'done', 'dead'];

/** What a worker records about its attempt (a webhook's response code, duration, ...): small JSON. */
export type Outcome = Record<string, string | number | boolean | null>;

export interface Claim {
  holder: string;
  /** Random per claim: only the claim that took the item may fail it. */
  token: string;
  expiresAt: number;
}

export interface QueueItem<P> {
  queue: string;
  id: string;
  payload: P;
  state: ItemState;
  /** Claims so far (a claim whose process crashed counts: a poison item still dead-letters). */
  attempts: number;
  maxAttempts: number;
  enqueuedAt: number;
  /** Not claimable before this time (epoch ms): the backoff after a failure. */
  availableAt: number;
  claim?: Claim;
  lastError?: string;
  outcome?: Outcome;
  /** When it became done or dead. */
  finishedAt?: number;
}

export interface ItemDocument<P> {
  id: string;
  payload: P;
  state: ItemState;
  attempts: number;
  max_attempts: number;
  enqueued_at: number;
  available_at: number;
  claim?: { holder: string; token: string; expires_at: number };
  last_error?: string;
  outcome?: Outcome;
  finished_at?: number;
}

export function toItem<P>(queue: string, doc: ItemDocument<P>): QueueItem<P> {
  return {
    queue,
    id: doc.id,
    payload: doc.payload,
    state: doc.state,
    attempts: doc.attempts,
    maxAttempts: doc.max_attempts,
    enqueuedAt: doc.enqueued_at,
    availableAt: doc.available_at,
    ...(doc.claim ? { claim: { holder: doc.claim.holder, token: doc.claim.token, expiresAt: doc.claim.expires_at } } : {}),
    ...(doc.last_error === undefined ? {} : { lastError: doc.last_error }),
    ...(doc.outcome === undefined ? {} : { outcome: doc.outcome }),
    ...(doc.finished_at === undefined ? {} : { finishedAt: doc.finished_at }),
  };
}

/** Claimable now: pending past its backoff, or claimed by a process that let the claim expire. */
export function isClaimable(doc: ItemDocument<unknown>, now: number): boolean {
  if (doc.state === 'pending') return doc.available_at <= now;
  if (doc.state === 'claimed') return (doc.claim?.expires_at ?? 0) <= now;
  return false;
}

export interface Backoff {
  /** Delay after the first failure (default 1 s); doubles after each further one. */
  baseMs: number;
  /** Longest delay (default 1 h). */
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 1000, maxMs: 3_600_000 };

/**
 * The wait before the next attempt after `attempts` failed ones: base * 2^(attempts-1), capped,
 * then jittered into its upper half so that many items failing together do not retry together.
 */
export function backoffDelay(attempts: number, backoff: Backoff, random: () => number): number {
  const full = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, Math.min(attempts - 1, 40)));
  return Math.round(full / 2 + random() * (full / 2));
}
