// A small status document in the store that every server on it reads and updates, so counters
// (replication rules' copied, failed, bytes, last run and error) survive restarts and add up
// across servers: coordination/status/<name>.json, changed only by compare-and-swap.
//
// Usage:
//   const stats = new SharedStatus<{ copied: number }>(store, 'replication-dc2');
//   await stats.update((now) => ({ copied: (now?.copied ?? 0) + 1 }));
//   const seen = await stats.read();   // undefined until the first update
import type { ObjectStore } from '../storage/object-store.js';
import { readDocument, updateDocument } from '../storage/documents.js';
import { coordinationName } from './names.js';

export class SharedStatus<T> {
  private readonly key: string;

  constructor(private readonly store: ObjectStore, name: string) {
    this.key = `coordination/status/${coordinationName(name, 'status name')}.json`;
  }

  async read(): Promise<T | undefined> {
    return (await readDocument<T>(this.store, this.key))?.value;
  }

  /** Applies `change` atomically (it may run more than once: keep it free of side effects). */
  async update(change: (current: T | undefined) => T): Promise<T> {
    return (await updateDocument<T>(this.store, this.key, change))!;
  }
}
