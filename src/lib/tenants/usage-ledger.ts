// Reads and changes tenants' usage documents (usage-document.ts), always by compare-and-swap.
// A name's entry is recomputed inside the swap from the format's own metadata (weigh), so the
// write that lands last has read the metadata last: a settle or recount racing a push on another
// server retries with fresh metadata instead of overwriting it with stale numbers.
import { randomUUID } from 'node:crypto';
import type { NameWeight } from '../formats/format-service.js';
import { readDocument, updateDocument } from '../storage/documents.js';
import type { ObjectStore } from '../storage/object-store.js';
import { addedBytes, committedBytes, emptyUsage, storedBytes, usageKey, withoutExpired, type NameEntry, type UsageDocument } from './usage-document.js';

/** A name as the ledger keys it, and how to weigh it. */
export interface NameRef {
  /** "format:accessName" */
  key: string;
  weigh(): Promise<NameWeight>;
}

export type HoldResult = { ok: true; id: string; used: number } | { ok: false; used: number; adds: number };

export interface SettleResult {
  /** Stored bytes after the change. */
  used: number;
  /** Warning thresholds this change crossed upwards (each announced once). */
  crossed: number[];
}

export const entryOf = (weight: NameWeight): NameEntry | undefined => (weight.versions === 0 && weight.blobs.length === 0
  ? undefined
  : { versions: weight.versions, blobs: Object.fromEntries(weight.blobs.map((b) => [b.digest, b.size])) });

export class UsageLedger {
  constructor(private readonly store: ObjectStore, private readonly now: () => number, private readonly holdTtlMs: number) {}

  async read(tenant: string): Promise<UsageDocument> {
    return (await readDocument<UsageDocument>(this.store, usageKey(tenant)))?.value ?? emptyUsage();
  }

  /** Holds `blobs` against `quota` (0: no quota) unless they would take the tenant over it. */
  async hold(tenant: string, quota: number, blobs: Record<string, number>): Promise<HoldResult> {
    const id = randomUUID();
    let result: HoldResult = { ok: false, used: 0, adds: 0 };
    await updateDocument<UsageDocument>(this.store, usageKey(tenant), (current) => {
      const now = this.now();
      const doc = withoutExpired(current ?? emptyUsage(), now);
      const used = committedBytes(doc, now);
      const adds = addedBytes(doc, now, blobs);
      if (quota > 0 && used + adds > quota) {
        result = { ok: false, used, adds };
        return undefined;
      }
      result = { ok: true, id, used };
      return { ...doc, holds: { ...doc.holds, [id]: { blobs, expires: now + this.holdTtlMs } }, updated: new Date(now).toISOString() };
    });
    return result;
  }

  /** Re-weighs `names`, drops `holdId`, and tracks warning thresholds crossed (percent of `quota`). */
  async settle(tenant: string, options: { names: NameRef[]; holdId?: string; quota: number; warnAt: number[] }): Promise<SettleResult> {
    let result: SettleResult = { used: 0, crossed: [] };
    await updateDocument<UsageDocument>(this.store, usageKey(tenant), async (current) => {
      const now = this.now();
      const doc = withoutExpired(current ?? emptyUsage(), now);
      const names = { ...doc.names };
      for (const ref of options.names) {
        const entry = entryOf(await ref.weigh());
        if (entry) names[ref.key] = entry;
        else delete names[ref.key];
      }
      const holds = { ...doc.holds };
      if (options.holdId) delete holds[options.holdId];
      const next: UsageDocument = { names, holds, warned: doc.warned, updated: new Date(now).toISOString() };
      const used = storedBytes(next);
      const reached = options.quota > 0 ? options.warnAt.filter((t) => used * 100 >= t * options.quota) : [];
      result = { used, crossed: reached.filter((t) => !doc.warned.includes(t)) };
      next.warned = reached;
      if (!current && Object.keys(names).length === 0 && Object.keys(holds).length === 0) return undefined;
      return next;
    });
    return result;
  }

  /** Drops a hold (a push that failed). */
  async release(tenant: string, holdId: string): Promise<void> {
    await updateDocument<UsageDocument>(this.store, usageKey(tenant), (current) => {
      if (!current?.holds[holdId]) return undefined;
      const holds = { ...current.holds };
      delete holds[holdId];
      return { ...current, holds };
    });
  }

  /** Replaces every name entry (a recount); holds in flight stay. */
  async replaceNames(tenant: string, names: Record<string, NameEntry>, quota: number, warnAt: number[]): Promise<number> {
    let used = 0;
    await updateDocument<UsageDocument>(this.store, usageKey(tenant), (current) => {
      const now = this.now();
      const doc = withoutExpired(current ?? emptyUsage(), now);
      const next: UsageDocument = { ...doc, names, updated: new Date(now).toISOString() };
      used = storedBytes(next);
      next.warned = quota > 0 ? warnAt.filter((t) => used * 100 >= t * quota) : [];
      if (!current && Object.keys(names).length === 0) return undefined;
      return next;
    });
    return used;
  }
}
