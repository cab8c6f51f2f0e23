// Delivers one hook's queue: claims due deliveries (at most `concurrency` in flight in this
// server), sends them, and records each outcome in the store: done on a 2xx, else a retry after
// the hook's backoff, and dead-lettered after max_attempts. Several servers on one store share
// the work safely: a claim is a compare-and-swap, so each delivery is sent by one server at a
// time. It never runs on a push's path: the subscriber only enqueues and wakes it.
import type { DurableQueue } from '../coordination/durable-queue.js';
import type { QueueItem } from '../coordination/queue-item.js';
import { buildRequest, type DeliveryPayload } from './delivery.js';
import type { Hook } from './hooks.js';
import type { HookSender, SendResult } from './sender.js';

export interface DispatchLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface DispatcherOptions {
  log: DispatchLog;
  /** This registry's name in CloudEvents `source`. */
  source: string;
  /** Longest wait between two looks at the queue when nothing is due (other servers' leftovers). */
  idleMs?: number;
  now?: () => number;
  /** Told after every attempt (metrics). */
  onAttempt?: (hook: string, result: SendResult, final: 'done' | 'retry' | 'dead' | 'lost') => void;
}

/** Longest sleep with nothing due: how soon work queued by another process (a redeliver, a dead server's leftovers) is seen. */
export const IDLE_MS = 5000;

/** Fewest milliseconds between two scans of the queue that found nothing to claim: bounds the reads a backlog costs. */
const MIN_SCAN_MS = 1000;

/** Ids of just-enqueued deliveries remembered for a direct claim. */
const MAX_HINTS = 1000;

/** Margin of a claim past the hook's timeout, so a slow attempt is never claimed twice. */
const CLAIM_MARGIN_MS = 5000;

export class HookDispatcher {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly hints = new Set<string>();
  private nextScanAt = 0;
  private stopped = false;
  private running: Promise<void> | undefined;
  private woken = false;
  private wakeUp: (() => void) | undefined;
  private readonly idleMs: number;
  private readonly now: () => number;

  constructor(
    private readonly hook: Hook,
    private readonly queue: DurableQueue<DeliveryPayload>,
    private readonly sender: HookSender,
    private readonly options: DispatcherOptions,
  ) {
    this.idleMs = options.idleMs ?? IDLE_MS;
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /**
   * Something was enqueued (`id`: claim that one directly, no scan) or finished: look now.
   * Hints past MAX_HINTS are dropped; the next scan finds those deliveries anyway.
   */
  wake(id?: string): void {
    if (id !== undefined && this.hints.size < MAX_HINTS) this.hints.add(id);
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stops claiming and waits for the attempts in flight (each bounded by the hook's timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.running;
    await Promise.all(this.inFlight);
  }

  private async loop(): Promise<void> {
    const concurrency = this.hook.settings.concurrency;
    const leaseMs = this.hook.settings.timeout + CLAIM_MARGIN_MS;
    while (!this.stopped) {
      this.woken = false;
      let waitMs = this.idleMs;
      const free = concurrency - this.inFlight.size;
      try {
        if (free > 0 && this.hints.size > 0) {
          // Fresh deliveries of this server: claimed by id, each costs one read and one write.
          const ids = [...this.hints].slice(0, free);
          for (const id of ids) this.hints.delete(id);
          for (const id of ids) {
            const item = await this.queue.claimById(id, leaseMs);
            if (item) this.track(this.deliver(item));
          }
          continue;
        }
        const now = this.now();
        if (free > 0 && now >= this.nextScanAt) {
          const { items, nextAt } = await this.queue.claimDue(free, leaseMs);
          for (const item of items) this.track(this.deliver(item));
          if (items.length === free) continue; // there may be more due
          this.nextScanAt = now + MIN_SCAN_MS;
          if (nextAt !== undefined) waitMs = Math.min(waitMs, Math.max(MIN_SCAN_MS, nextAt - now));
        } else if (free > 0) {
          waitMs = Math.min(waitMs, this.nextScanAt - now);
        }
      } catch (error) {
        this.options.log.error({ hook: this.hook.name, err: error }, 'webhook queue unavailable; retrying');
      }
      if (this.stopped) break;
      if (!this.woken) await this.sleep(waitMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    }).finally(() => {
      this.wakeUp = undefined;
    });
  }

  private track(delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    void delivery.finally(() => {
      this.inFlight.delete(delivery);
      this.wake();
    });
  }

  private async deliver(item: QueueItem<DeliveryPayload>): Promise<void> {
    const { hook, queue, options } = this;
    const fields = { hook: hook.name, delivery: item.id, event: item.payload.event, attempt: item.attempts };
    try {
      const result = await this.sender.send(buildRequest(hook, item.id, item.payload, item.attempts, options.source));
      const outcome = { ...(result.status === undefined ? {} : { status: result.status }), duration_ms: result.durationMs, at: new Date(this.now()).toISOString() };
      if (result.ok) {
        const completed = await queue.complete(item, outcome);
        options.onAttempt?.(hook.name, result, completed ? 'done' : 'lost');
        options.log.info({ ...fields, status: result.status, duration_ms: result.durationMs }, 'webhook delivered');
        return;
      }
      const next = await queue.fail(item, result.error ?? 'failed', outcome);
      options.onAttempt?.(hook.name, result, next);
      const line = { ...fields, status: result.status, duration_ms: result.durationMs, error: result.error, next };
      if (next === 'dead') options.log.error(line, 'webhook delivery dead-lettered');
      else options.log.warn(line, 'webhook delivery failed');
    } catch (error) {
      // The store failed while recording: the claim expires and the delivery is tried again.
      options.log.error({ ...fields, err: error }, 'webhook delivery could not be recorded');
    }
  }
}
