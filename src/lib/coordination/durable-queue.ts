// A durable work queue in the store, shared by every server on it (webhook deliveries,
// replication items). At-least-once: a crash never loses an item, it is redelivered.
//
// Usage:
//   const queue = new DurableQueue<Payload>(store, 'webhook-ci', { holder: leases.holder });
//   await queue.enqueue(payload, { id: event.id });            // idempotent on id
//   for (const item of await queue.claim(10, 30_000)) {        // invisible to others for 30 s
//     try { await work(item.payload); await queue.complete(item, { status: 200 }); }
//     catch (error) { await queue.fail(item, String(error)); } // backoff, then dead after max attempts
//   }
//   await holdClaim(queue, item, 60_000, (signal) => work(item.payload, signal)); // claim-heartbeat.ts:
//   //   a short claim renewed while the work runs, so a killed worker's items come back soon
//   await queue.release(item);                                  // graceful shutdown: claimable at once
//   await queue.list({ state: 'dead' });  await queue.redeliver(id);  await queue.prune(7 * DAY);
//
// Layout (one small JSON document per item, changed only by compare-and-swap):
//   coordination/queues/<queue>/active/<id>.json   pending or claimed
//   coordination/queues/<queue>/done/<id>.json     completed (pruned after a retention)
//   coordination/queues/<queue>/dead/<id>.json     gave up after max_attempts (kept until redelivered)
// An item leaves active/ by a compare-and-swap to its final state first, then a copy to done/ or
// dead/, then the delete; a crash in between is finished by the next claim pass that meets it.
// Every pass reads page by page: cost linear in items, memory bounded by a page.
import { randomBytes } from 'node:crypto';
import type { ObjectStore } from '../storage/object-store.js';
import { readDocument, updateDocument } from '../storage/documents.js';
import { isStorageError } from '../storage/errors.js';
import { CommonErrors } from '../errors/catalog.js';
import { coordinationName } from './names.js';
import { processHolderId } from './leases.js';
import { backoffDelay, DEFAULT_BACKOFF, isClaimable, toItem, type Backoff, type ItemDocument, type ItemState, type Outcome, type QueueItem } from './queue-item.js';

export interface DurableQueueOptions {
  /** Who claims (default: a new process id); use the process's Leases holder. */
  holder?: string;
  now?: () => number;
  /** In [0, 1): the backoff jitter. */
  random?: () => number;
  /** Attempts before an item is dead-lettered, unless enqueue says otherwise (default 8). */
  maxAttempts?: number;
  backoff?: Backoff;
}

export interface ListQuery {
  state?: ItemState;
  /** Pending and claimed items in one pass (two passes would miss one changing state in between). */
  active?: boolean;
  /** The `cursor` of the previous page. */
  cursor?: string;
  /** Stored items examined per page (default 100, at most 1000). */
  limit?: number;
}

export interface ItemPage<P> {
  items: QueueItem<P>[];
  cursor?: string;
}

const PAGE = 100;

export class DurableQueue<P> {
  readonly holder: string;
  private readonly root: string;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly maxAttempts: number;
  private readonly backoff: Backoff;
  private sequence = 0;

  constructor(private readonly store: ObjectStore, readonly name: string, options: DurableQueueOptions = {}) {
    this.root = `coordination/queues/${coordinationName(name, 'queue name')}/`;
    this.holder = options.holder ?? processHolderId();
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  /**
   * Adds an item; with an `id` already queued, done or dead, returns that item and adds nothing.
   * Default ids sort by enqueue time, so items are claimed roughly in order.
   */
  async enqueue(payload: P, options: { id?: string; maxAttempts?: number } = {}): Promise<{ item: QueueItem<P>; created: boolean }> {
    const id = options.id === undefined ? this.newId() : coordinationName(options.id, 'queue item id');
    const existing = (await this.readRecord(id, 'done')) ?? (await this.readRecord(id, 'dead'));
    if (existing) return { item: toItem(this.name, existing), created: false };
    const now = this.now();
    const doc: ItemDocument<P> = { id, payload, state: 'pending', attempts: 0, max_attempts: options.maxAttempts ?? this.maxAttempts, enqueued_at: now, available_at: now };
    try {
      await this.store.put(this.key('active', id), Buffer.from(JSON.stringify(doc)), { ifNoneMatch: '*' });
      return { item: toItem(this.name, doc), created: true };
    } catch (error) {
      if (!isStorageError(error, 'PRECONDITION_FAILED')) throw error;
      const current = await this.get(id);
      if (!current) throw CommonErrors.CONFLICT(this.key('active', id));
      return { item: current, created: false };
    }
  }

  /**
   * Claims up to `limit` claimable items for `leaseMs`: each by compare-and-swap, so no other
   * process (or other call here) gets it until the claim expires. Items whose claim expired on
   * their last allowed attempt are dead-lettered instead.
   */
  async claim(limit: number, leaseMs: number): Promise<QueueItem<P>[]> {
    return (await this.claimDue(limit, leaseMs)).items;
  }

  /**
   * `claim`, also telling when the earliest item it saw but could not claim yet becomes due
   * (`nextAt`: a backoff ending, a claim expiring), so a worker can sleep until then. `nextAt`
   * covers only the items scanned: when `limit` was reached, call again soon.
   */
  async claimDue(limit: number, leaseMs: number): Promise<{ items: QueueItem<P>[]; nextAt?: number }> {
    const claimed: QueueItem<P>[] = [];
    let nextAt: number | undefined;
    let cursor: string | undefined;
    do {
      const page = await this.store.list(`${this.root}active/`, { limit: PAGE, ...(cursor === undefined ? {} : { cursor }) });
      for (const info of page.items) {
        if (claimed.length >= limit) return { items: claimed, ...(nextAt === undefined ? {} : { nextAt }) };
        const result = await this.tryClaim(info.key, leaseMs);
        if (typeof result === 'number') nextAt = nextAt === undefined ? result : Math.min(nextAt, result);
        else if (result) claimed.push(result);
      }
      cursor = page.cursor;
    } while (cursor !== undefined && claimed.length < limit);
    return { items: claimed, ...(nextAt === undefined ? {} : { nextAt }) };
  }

  /**
   * Claims the item with this id if it is claimable now: what a worker does with an id it just
   * enqueued, without scanning the queue. Undefined when it is not (gone, taken, waiting).
   */
  async claimById(id: string, leaseMs: number): Promise<QueueItem<P> | undefined> {
    const result = await this.tryClaim(this.key('active', coordinationName(id, 'queue item id')), leaseMs);
    return typeof result === 'object' ? result : undefined;
  }

  /** The claimed item; or the time it may become claimable; or undefined (gone, finished, or lost to another claimer). */
  private async tryClaim(key: string, leaseMs: number): Promise<QueueItem<P> | number | undefined> {
    const current = await readDocument<ItemDocument<P>>(this.store, key);
    if (!current) return undefined;
    const doc = current.value;
    const now = this.now();
    if (doc.state === 'done' || doc.state === 'dead') {
      await this.finish(doc); // a crash between the final write and the move: finish it
      return undefined;
    }
    if (!isClaimable(doc, now)) return doc.state === 'pending' ? doc.available_at : doc.claim?.expires_at ?? now;
    if (doc.attempts >= doc.max_attempts) {
      const dead: ItemDocument<P> = { ...withoutClaim(doc), state: 'dead', finished_at: now, last_error: doc.last_error ?? 'claim expired on the last attempt (the worker stopped)' };
      if (await this.swap(key, dead, current.etag)) await this.finish(dead);
      return undefined;
    }
    const next: ItemDocument<P> = {
      ...doc,
      state: 'claimed',
      attempts: doc.attempts + 1,
      claim: { holder: this.holder, token: randomBytes(8).toString('hex'), expires_at: now + leaseMs },
    };
    return (await this.swap(key, next, current.etag)) ? toItem(this.name, next) : now; // lost a race: look again soon
  }

  /**
   * Marks a claimed item done and records `outcome`. True when this call completed it; false
   * when it was already done, dead or gone. A worker whose claim expired may still complete:
   * the work happened, and the item's new claimer learns it by its own complete returning false.
   */
  async complete(item: QueueItem<P>, outcome?: Outcome): Promise<boolean> {
    let done: ItemDocument<P> | undefined;
    await updateDocument<ItemDocument<P>>(this.store, this.key('active', item.id), (doc) => {
      done = undefined;
      if (!doc || doc.state === 'done' || doc.state === 'dead') return undefined;
      const { last_error: _earlier, ...rest } = withoutClaim(doc); // it succeeded: an earlier failure is history
      done = { ...rest, state: 'done', finished_at: this.now(), ...(outcome ? { outcome } : {}) };
      return done;
    });
    if (done) await this.finish(done);
    return done !== undefined;
  }

  /**
   * Records a failed attempt: the item waits out its backoff, or is dead-lettered when it has
   * used its attempts. 'lost' when this claim no longer holds the item (it expired and was
   * claimed again, or the item finished elsewhere): nothing is changed.
   */
  async fail(item: QueueItem<P>, reason: string, outcome?: Outcome): Promise<'retry' | 'dead' | 'lost'> {
    let result: 'retry' | 'dead' | 'lost' = 'lost';
    let final: ItemDocument<P> | undefined;
    await updateDocument<ItemDocument<P>>(this.store, this.key('active', item.id), (doc) => {
      result = 'lost';
      final = undefined;
      if (!doc || doc.state !== 'claimed' || doc.claim?.token !== item.claim?.token) return undefined;
      const now = this.now();
      const base = { ...withoutClaim(doc), last_error: reason.slice(0, 2000), ...(outcome ? { outcome } : {}) };
      if (doc.attempts >= doc.max_attempts) {
        result = 'dead';
        final = { ...base, state: 'dead', finished_at: now };
        return final;
      }
      result = 'retry';
      return { ...base, state: 'pending', available_at: now + backoffDelay(doc.attempts, this.backoff, this.random) };
    });
    if (final) await this.finish(final);
    return result;
  }

  /**
   * Extends this worker's claim to `leaseMs` from now (a heartbeat while the work runs, see
   * claim-heartbeat.ts). The item, same token, or undefined when the claim is lost: the item was
   * claimed again elsewhere, finished or is gone. A claim that expired but that nobody took is
   * still ours, since nobody else can have worked on it.
   */
  async renew(item: QueueItem<P>, leaseMs: number): Promise<QueueItem<P> | undefined> {
    let renewed: ItemDocument<P> | undefined;
    await updateDocument<ItemDocument<P>>(this.store, this.key('active', item.id), (doc) => {
      renewed = doc && doc.state === 'claimed' && doc.claim && doc.claim.token === item.claim?.token
        ? { ...doc, claim: { ...doc.claim, expires_at: this.now() + leaseMs } }
        : undefined;
      return renewed;
    });
    return renewed && toItem(this.name, renewed);
  }

  /**
   * Gives a claim back unfinished (a graceful shutdown): the item is pending and claimable at
   * once, and this attempt is not counted, since it reached no outcome. False when the claim
   * was already lost (nothing changes).
   */
  async release(item: QueueItem<P>): Promise<boolean> {
    let released = false;
    await updateDocument<ItemDocument<P>>(this.store, this.key('active', item.id), (doc) => {
      released = doc !== undefined && doc.state === 'claimed' && doc.claim?.token === item.claim?.token;
      return released ? { ...withoutClaim(doc!), state: 'pending', attempts: Math.max(0, doc!.attempts - 1), available_at: this.now() } : undefined;
    });
    return released;
  }

  /** The item with this id wherever it is, or undefined. */
  async get(id: string): Promise<QueueItem<P> | undefined> {
    coordinationName(id, 'queue item id');
    const doc = (await this.readRecord(id, 'active')) ?? (await this.readRecord(id, 'done')) ?? (await this.readRecord(id, 'dead'));
    return doc && toItem(this.name, doc);
  }

  /**
   * One page of items, by id order within each place (dead, then done, then active when no
   * state is given). A page may hold fewer than `limit` items when a state filters some out;
   * keep going while `cursor` is set.
   */
  async list(query: ListQuery = {}): Promise<ItemPage<P>> {
    const where = query.active || (query.state !== undefined && query.state !== 'done' && query.state !== 'dead') ? 'active/' : query.state === undefined ? '' : `${query.state}/`;
    const prefix = this.root + where;
    if (query.cursor !== undefined && !query.cursor.startsWith(prefix)) throw CommonErrors.INVALID_QUERY('cursor does not belong to this listing');
    const limit = Math.min(Math.max(1, query.limit ?? PAGE), 1000);
    const page = await this.store.list(prefix, { limit, ...(query.cursor === undefined ? {} : { cursor: query.cursor }) });
    const items: QueueItem<P>[] = [];
    for (const info of page.items) {
      const doc = (await readDocument<ItemDocument<P>>(this.store, info.key))?.value;
      const wanted = query.state === undefined ? !query.active || doc?.state === 'pending' || doc?.state === 'claimed' : doc?.state === query.state;
      if (doc && wanted) items.push(toItem(this.name, doc));
    }
    return { items, ...(page.cursor === undefined ? {} : { cursor: page.cursor }) };
  }

  /**
   * Sends an item again: a done or dead one goes back to pending with fresh attempts; a pending
   * one waiting out a backoff becomes claimable now; a claimed one is left to its worker.
   * Undefined when no item has this id.
   */
  async redeliver(id: string): Promise<QueueItem<P> | undefined> {
    coordinationName(id, 'queue item id');
    const active = await updateDocument<ItemDocument<P>>(this.store, this.key('active', id), (doc) =>
      doc && doc.state === 'pending' ? { ...doc, available_at: Math.min(doc.available_at, this.now()) } : undefined);
    if (active) return toItem(this.name, active);
    for (const place of ['dead', 'done'] as const) {
      const record = await this.readRecord(id, place);
      if (!record) continue;
      const again: ItemDocument<P> = { ...withoutClaim(record), state: 'pending', attempts: 0, available_at: this.now() };
      delete again.finished_at;
      try {
        await this.store.put(this.key('active', id), Buffer.from(JSON.stringify(again)), { ifNoneMatch: '*' });
      } catch (error) {
        if (!isStorageError(error, 'PRECONDITION_FAILED')) throw error; // redelivered concurrently: that one stands
      }
      await this.store.delete(this.key(place, id));
      return this.get(id);
    }
    return undefined;
  }

  /** Deletes done records finished before `olderThanMs` ago (by their store time); returns how many. */
  async prune(olderThanMs: number): Promise<number> {
    const before = this.now() - olderThanMs;
    let removed = 0;
    let cursor: string | undefined;
    do {
      const page = await this.store.list(`${this.root}done/`, { limit: PAGE, ...(cursor === undefined ? {} : { cursor }) });
      for (const info of page.items) if (info.modified.getTime() < before && (await this.store.delete(info.key))) removed++;
      cursor = page.cursor;
    } while (cursor !== undefined);
    return removed;
  }

  /** Moves a final document out of active/: record first, so a crash leaves it findable twice, never zero times. */
  private async finish(doc: ItemDocument<P>): Promise<void> {
    await this.store.put(this.key(doc.state === 'dead' ? 'dead' : 'done', doc.id), Buffer.from(JSON.stringify(doc)));
    await this.store.delete(this.key('active', doc.id));
  }

  private async swap(key: string, doc: ItemDocument<P>, etag: string): Promise<boolean> {
    try {
      await this.store.put(key, Buffer.from(JSON.stringify(doc)), { ifMatch: etag });
      return true;
    } catch (error) {
      if (isStorageError(error, 'PRECONDITION_FAILED') || isStorageError(error, 'NOT_FOUND')) return false;
      throw error;
    }
  }

  private async readRecord(id: string, place: 'active' | 'done' | 'dead'): Promise<ItemDocument<P> | undefined> {
    return (await readDocument<ItemDocument<P>>(this.store, this.key(place, id)))?.value;
  }

  private key(place: 'active' | 'done' | 'dead', id: string): string {
    return `${this.root}${place}/${id}.json`;
  }

  private newId(): string {
    this.sequence = (this.sequence + 1) % 36 ** 4; // keeps ids of one millisecond in order
    return `${this.now().toString(36).padStart(9, '0')}-${this.sequence.toString(36).padStart(4, '0')}-${randomBytes(5).toString('hex')}`;
  }
}

function withoutClaim<P>(doc: ItemDocument<P>): ItemDocument<P> {
  const { claim: _claim, ...rest } = doc;
  return rest;
}
