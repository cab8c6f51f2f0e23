// Named leases in the store, so that several `nora serve` on one store run a scheduled pass
// (gc, retention, replication, webhook delivery) on one server at a time, with no database.
//
// Usage:
//   const leases = new Leases(store);                       // one per process (holder id inside)
//   const ran = await leases.runExclusive('gc', 60_000, async (lease, signal) => { ... });
//   // or by hand: const lease = await leases.tryAcquire('gc', 60_000); ... renew(lease); release(lease)
//
// A lease is the document coordination/leases/<name>.json { holder, token, expires_at }, written
// only with compare-and-swap (ifMatch / ifNoneMatch). The document is never deleted: release
// expires it in place, so the fencing `token` only ever increases, and a writer that checks the
// token it was given can refuse the work of a holder whose lease was taken over.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { ObjectStore } from '../storage/object-store.js';
import { readDocument } from '../storage/documents.js';
import { isStorageError } from '../storage/errors.js';
import { coordinationName } from './names.js';

export interface Lease {
  name: string;
  holder: string;
  /** Fencing token: larger for every acquisition of this name, by anyone. */
  token: number;
  /** Epoch milliseconds after which others may take the lease. */
  expiresAt: number;
}

interface LeaseDocument {
  name: string;
  holder: string;
  token: number;
  ttl_ms: number;
  expires_at: number;
}

export interface LeaseOptions {
  /** Identifies this process (default: hostname, pid and random bytes). */
  holder?: string;
  now?: () => number;
  /**
   * Schedules `fn` after `ms` and returns a function that cancels it; runExclusive renews with
   * it. Default setTimeout; tests pass a manual scheduler instead of sleeping.
   */
  schedule?: (fn: () => void, ms: number) => () => void;
}

/** A stable id for this process: what lease documents and queue claims record as the holder. */
export function processHolderId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** `setTimeout`, unref'd (a pending renewal never keeps a process alive), returning its cancel. */
export const timerSchedule = (fn: () => void, ms: number): (() => void) => {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

export class Leases {
  readonly holder: string;
  private readonly now: () => number;
  private readonly schedule: (fn: () => void, ms: number) => () => void;

  constructor(private readonly store: ObjectStore, options: LeaseOptions = {}) {
    this.holder = options.holder ?? processHolderId();
    this.now = options.now ?? Date.now;
    this.schedule = options.schedule ?? timerSchedule;
  }

  /**
   * Takes the lease when nobody holds it or its holder let it expire; undefined when it is held
   * (by another process, or already by this one: leases are not re-entrant) or another process
   * won the race for it.
   */
  async tryAcquire(name: string, ttlMs: number): Promise<Lease | undefined> {
    const key = leaseKey(name);
    const current = await readDocument<LeaseDocument>(this.store, key);
    const now = this.now();
    if (current && current.value.expires_at > now) return undefined;
    const next: LeaseDocument = { name, holder: this.holder, token: (current?.value.token ?? 0) + 1, ttl_ms: ttlMs, expires_at: now + ttlMs };
    return (await this.write(key, next, current?.etag)) ? toLease(next) : undefined;
  }

  /**
   * Extends the lease by `ttlMs` (default: its first length) from now. Undefined when it was
   * lost: someone else acquired it since (its token moved on). A lease that expired but that
   * nobody took is still ours, since no other holder could have done work under it.
   */
  async renew(lease: Lease, ttlMs?: number): Promise<Lease | undefined> {
    const key = leaseKey(lease.name);
    const current = await readDocument<LeaseDocument>(this.store, key);
    if (!current || current.value.holder !== lease.holder || current.value.token !== lease.token) return undefined;
    const ttl = ttlMs ?? current.value.ttl_ms;
    const next = { ...current.value, ttl_ms: ttl, expires_at: this.now() + ttl };
    return (await this.write(key, next, current.etag)) ? toLease(next) : undefined;
  }

  /** Gives the lease up at once so another process need not wait for expiry. False if it was already lost. */
  async release(lease: Lease): Promise<boolean> {
    const key = leaseKey(lease.name);
    const current = await readDocument<LeaseDocument>(this.store, key);
    if (!current || current.value.holder !== lease.holder || current.value.token !== lease.token) return false;
    return this.write(key, { ...current.value, expires_at: 0 }, current.etag);
  }

  /** The lease as stored (holder, token, expiry), or undefined when never taken. For status output. */
  async inspect(name: string): Promise<Lease | undefined> {
    const current = await readDocument<LeaseDocument>(this.store, leaseKey(name));
    return current && toLease(current.value);
  }

  /**
   * Runs `fn` under the lease, renewing it every third of `ttlMs` while `fn` runs, then releases
   * it. Returns false without running `fn` when the lease is held elsewhere. If a renewal finds
   * the lease lost, `signal` aborts: `fn` should stop writing. Errors of `fn` propagate after
   * the release.
   */
  async runExclusive(name: string, ttlMs: number, fn: (lease: Lease, signal: AbortSignal) => Promise<void>): Promise<boolean> {
    let lease = await this.tryAcquire(name, ttlMs);
    if (!lease) return false;
    const lost = new AbortController();
    let cancel: (() => void) | undefined;
    let renewing: Promise<void> = Promise.resolve();
    let stopped = false;
    const plan = () => {
      cancel = this.schedule(() => {
        renewing = (async () => {
          const renewed = await this.renew(lease!, ttlMs).catch(() => lease); // a storage hiccup: try again next time
          if (stopped) return;
          if (renewed) {
            lease = renewed;
            plan();
          } else lost.abort(new Error(`lease ${name} was lost to another holder`));
        })();
      }, Math.max(1, Math.floor(ttlMs / 3)));
    };
    plan();
    try {
      await fn(lease, lost.signal);
    } finally {
      stopped = true;
      cancel?.();
      await renewing;
      if (!lost.signal.aborted) await this.release(lease).catch(() => false); // expiry frees it anyway
    }
    return true;
  }

  /** Compare-and-swap write; false when another writer changed the document first. */
  private async write(key: string, value: LeaseDocument, etag: string | undefined): Promise<boolean> {
    try {
      await this.store.put(key, Buffer.from(JSON.stringify(value)), etag === undefined ? { ifNoneMatch: '*' } : { ifMatch: etag });
      return true;
    } catch (error) {
      if (isStorageError(error, 'PRECONDITION_FAILED')) return false;
      throw error;
    }
  }
}

const leaseKey = (name: string) => `coordination/leases/${coordinationName(name, 'lease name')}.json`;

const toLease = (doc: LeaseDocument): Lease => ({ name: doc.name, holder: doc.holder, token: doc.token, expiresAt: doc.expires_at });
