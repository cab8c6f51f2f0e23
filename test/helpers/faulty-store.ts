// A fault-injecting wrapper of the storage port that only tests use (CONVENTIONS #5): while a
// fault is set, the store fails the way a real adapter reports it — 'full': every put fails
// with STORAGE_FULL (a full disk still reads); 'unavailable': every operation fails with
// STORAGE_UNAVAILABLE (a lost S3).
import { StorageFull, StorageUnavailable } from '../../src/lib/storage/errors.js';
import type { ObjectStore } from '../../src/lib/storage/object-store.js';

export type Fault = 'full' | 'unavailable' | undefined;

export function faultyStore(inner: ObjectStore): { store: ObjectStore; inject(fault: Fault): void } {
  let fault: Fault;
  const store = new Proxy(inner, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function' || property === 'close') return value;
      return async (...args: unknown[]) => {
        if (fault === 'unavailable') throw StorageUnavailable(`injected: ${String(property)} of ${String(args[0])}`);
        if (fault === 'full' && property === 'put') throw StorageFull(`injected: ENOSPC writing ${String(args[0])}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, inject: (next) => { fault = next; } };
}
