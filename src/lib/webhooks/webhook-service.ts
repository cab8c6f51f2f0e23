// Webhooks of one NORA process: the subscriber that queues every matching bus event durably in
// the store (one queue per hook), the dispatchers that deliver them (`serve` starts those), and
// what the API and `nora webhooks` show and do: list deliveries, redeliver, send a ping.
import { randomUUID } from 'node:crypto';
import type { NoraConfig } from '../config/schema.js';
import type { EventBus, PublishedEvent } from '../events/bus.js';
import type { ObjectStore } from '../storage/object-store.js';
import { DurableQueue } from '../coordination/durable-queue.js';
import { Leases, processHolderId } from '../coordination/leases.js';
import { DEFAULT_BACKOFF } from '../coordination/queue-item.js';
import { buildRequest, type DeliveryPayload } from './delivery.js';
import { HookDispatcher, type DispatchLog } from './dispatcher.js';
import { assertSecrets, compileHooks, webhookEvent, type Hook } from './hooks.js';
import { HookSender, type SendResult } from './sender.js';
import { WebhookErrors } from './errors.js';
import { deliveryView, pageDeliveries, type DeliveryPage, type DeliveryQuery } from './deliveries.js';

export interface WebhookServiceOptions {
  store: ObjectStore;
  config: NoraConfig;
  env?: NodeJS.ProcessEnv;
  holder?: string;
  now?: () => number;
  /** Longest idle wait of a dispatcher between looks at its queue. */
  idleMs?: number;
}

const SILENT: DispatchLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** How often acknowledged deliveries past keep_delivered are pruned. */
const PRUNE_EVERY_MS = 3_600_000;

/** Events waiting for their enqueue at once; past this, events are refused loudly (a store far too slow). */
const MAX_ENQUEUING = 10_000;

export class WebhookService {
  readonly hooks: Hook[];
  private readonly queues = new Map<string, DurableQueue<DeliveryPayload>>();
  private readonly senders = new Map<string, HookSender>();
  private readonly dispatchers = new Map<string, HookDispatcher>();
  private readonly enqueuing = new Set<Promise<unknown>>();
  private unsubscribe: (() => void) | undefined;
  private log: DispatchLog = SILENT;
  private pruneTimer: NodeJS.Timeout | undefined;
  private pruning: Promise<unknown> = Promise.resolve();
  private readonly source: string;
  private readonly leases: Leases;

  constructor(private readonly options: WebhookServiceOptions) {
    this.hooks = compileHooks(options.config.webhooks, options.env);
    const holder = options.holder ?? processHolderId();
    this.leases = new Leases(options.store, { holder, ...(options.now ? { now: options.now } : {}) });
    for (const hook of this.hooks) {
      this.queues.set(hook.name, new DurableQueue<DeliveryPayload>(options.store, hook.queueName, {
        holder,
        maxAttempts: hook.settings.max_attempts,
        backoff: { baseMs: hook.settings.retry_delay, maxMs: Math.max(hook.settings.retry_delay, DEFAULT_BACKOFF.maxMs) },
        ...(options.now ? { now: options.now } : {}),
      }));
    }
    this.source = options.config.server.public_url || 'nora';
  }

  /**
   * Queues every matching event of `events` (every process does: an event of `nora restore` or
   * `nora migrate` is delivered by the servers on the store). Errors go to `log` until start().
   */
  follow(events: EventBus, log: DispatchLog): void {
    this.log = log;
    this.unsubscribe ??= events.subscribe((event) => this.accept(event));
  }

  /** Starts delivering (for `serve`): one dispatcher per hook, and the hourly prune. */
  start(log: DispatchLog, onAttempt?: (hook: string, result: SendResult, final: string) => void): void {
    if (this.dispatchers.size > 0) return;
    assertSecrets(this.hooks);
    this.log = log;
    for (const hook of this.hooks) {
      const dispatcher = new HookDispatcher(hook, this.queue(hook.name), this.sender(hook), {
        log, source: this.source, ...(this.options.idleMs === undefined ? {} : { idleMs: this.options.idleMs }), ...(this.options.now ? { now: this.options.now } : {}), ...(onAttempt ? { onAttempt } : {}),
      });
      this.dispatchers.set(hook.name, dispatcher);
      dispatcher.start();
    }
    const prune = () => {
      this.pruning = this.pruneDelivered().catch((error: unknown) => log.error({ err: error }, 'pruning webhook deliveries failed'));
    };
    prune();
    this.pruneTimer = setInterval(prune, PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  /**
   * Removes acknowledged deliveries older than each hook's keep_delivered; one server per hook
   * at a time does it (a lease in the store). Returns how many went.
   */
  async pruneDelivered(): Promise<number> {
    let removed = 0;
    for (const hook of this.hooks) {
      await this.leases.runExclusive(`webhook-prune-${hook.name}`, 5 * 60_000, async () => {
        removed += await this.queue(hook.name).prune(hook.settings.keep_delivered);
      });
    }
    return removed;
  }

  /** Unsubscribes, lets queued enqueues land, and waits for the attempts in flight (services.close does it). */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearInterval(this.pruneTimer);
    await this.pruning;
    await Promise.allSettled(this.enqueuing);
    const dispatchers = [...this.dispatchers.values()];
    this.dispatchers.clear();
    await Promise.all(dispatchers.map((d) => d.stop()));
    const senders = [...this.senders.values()];
    this.senders.clear();
    await Promise.all(senders.map((s) => s.close()));
  }

  /** One page of deliveries of one hook, or of every hook in configuration order. */
  async deliveries(query: DeliveryQuery = {}): Promise<DeliveryPage> {
    if (query.hook !== undefined) this.hook(query.hook);
    return pageDeliveries(this.hooks.map((h) => ({ hook: h.name, queue: this.queue(h.name) })), query);
  }

  /** Sends a delivery again (a dead or done one with fresh attempts); DELIVERY_NOT_FOUND when no hook has it. */
  async redeliver(id: string, hookName?: string) {
    for (const hook of hookName === undefined ? this.hooks : [this.hook(hookName)]) {
      const item = await this.queue(hook.name).redeliver(id).catch((error: unknown) => {
        if ((error as { code?: string }).code === 'INVALID_PATH') throw WebhookErrors.DELIVERY_NOT_FOUND(id);
        throw error;
      });
      if (item) {
        this.dispatchers.get(hook.name)?.wake();
        return deliveryView(hook.name, item);
      }
    }
    throw WebhookErrors.DELIVERY_NOT_FOUND(id);
  }

  /** Sends a "ping" to a hook now, outside its queue, and tells how the receiver answered. */
  async ping(name: string): Promise<SendResult & { id: string }> {
    const hook = this.hook(name);
    assertSecrets([hook]);
    const id = `ping-${randomUUID()}`;
    const payload: DeliveryPayload = { event: 'ping', at: new Date((this.options.now ?? Date.now)()).toISOString() };
    const sender = this.sender(hook);
    const result = await sender.send(buildRequest(hook, id, payload, 1, this.source));
    return { id, ...result };
  }

  /** Closes what a command used (senders) when the service was never started. */
  async close(): Promise<void> {
    await this.stop();
  }

  private accept(event: PublishedEvent): void {
    const log = this.log;
    for (const hook of this.hooks) {
      if (!hook.selects(event)) continue;
      if (this.enqueuing.size >= MAX_ENQUEUING) {
        log.error({ hook: hook.name, event: webhookEvent(event), format: event.artifact.format, name: event.artifact.name }, 'webhook event refused: too many events waiting to be queued');
        continue;
      }
      const payload: DeliveryPayload = {
        event: webhookEvent(event),
        artifact: event.artifact,
        at: event.at.toISOString(),
        ...(event.size === undefined ? {} : { size: event.size }),
        ...(event.actor === undefined ? {} : { actor: event.actor }),
        ...(event.requestId === undefined ? {} : { request_id: event.requestId }),
        ...(event.detail === undefined ? {} : { detail: event.detail }),
      };
      const queued = this.queue(hook.name).enqueue(payload)
        .then(({ item }) => this.dispatchers.get(hook.name)?.wake(item.id))
        .catch((error: unknown) => log.error({ hook: hook.name, event: payload.event, format: event.artifact.format, name: event.artifact.name, err: error }, 'webhook event could not be queued'));
      this.enqueuing.add(queued);
      void queued.finally(() => this.enqueuing.delete(queued));
    }
  }

  private hook(name: string): Hook {
    const hook = this.hooks.find((h) => h.name === name);
    if (!hook) throw WebhookErrors.WEBHOOK_UNKNOWN(name, this.hooks.map((h) => h.name));
    return hook;
  }

  private queue(name: string): DurableQueue<DeliveryPayload> {
    return this.queues.get(name)!;
  }

  private sender(hook: Hook): HookSender {
    let sender = this.senders.get(hook.name);
    if (!sender) this.senders.set(hook.name, (sender = new HookSender(hook, this.options.now)));
    return sender;
  }
}
