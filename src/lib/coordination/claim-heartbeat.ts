// Holds a queue item's claim while its work runs: the claim is short (a worker killed with
// SIGKILL leaves its items claimable again within one claim length, not after the longest
// possible job) and is renewed every third of its length, like a lease under runExclusive.
// When a renewal finds the claim lost (it expired, and another server claimed the item), the
// signal aborts: the worker should stop and record nothing, the new claimer owns the item.
import type { DurableQueue } from './durable-queue.js';
import { timerSchedule } from './leases.js';
import type { QueueItem } from './queue-item.js';

export interface HeartbeatOptions {
  /** Schedules `fn` after `ms`, returning its cancel (default: an unref'd setTimeout); tests drive it by hand. */
  schedule?: (fn: () => void, ms: number) => () => void;
  /** Told when a renewal failed on a storage error (the claim may still hold; tried again next beat). */
  onRenewError?: (error: unknown) => void;
}

/**
 * Runs `work` with the claim of `item` renewed to `leaseMs` from each beat; returns what `work`
 * returns (its errors propagate). The renewals stop when `work` settles.
 */
export async function holdClaim<P, T>(queue: DurableQueue<P>, item: QueueItem<P>, leaseMs: number, work: (signal: AbortSignal) => Promise<T>, options: HeartbeatOptions = {}): Promise<T> {
  const schedule = options.schedule ?? timerSchedule;
  const lost = new AbortController();
  let stopped = false;
  let cancel: (() => void) | undefined;
  let beat: Promise<void> = Promise.resolve();
  const plan = () => {
    cancel = schedule(() => {
      beat = (async () => {
        let held = true;
        try {
          held = (await queue.renew(item, leaseMs)) !== undefined;
        } catch (error) {
          options.onRenewError?.(error); // a storage hiccup: the claim still has time, try next beat
        }
        if (stopped) return;
        if (held) plan();
        else lost.abort(new Error(`the claim of ${queue.name}/${item.id} was lost to another worker`));
      })();
    }, Math.max(1, Math.floor(leaseMs / 3)));
  };
  plan();
  try {
    return await work(lost.signal);
  } finally {
    stopped = true;
    cancel?.();
    await beat;
  }
}
