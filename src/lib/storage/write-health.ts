// Readiness that follows the store's writes. A full disk still answers reads and passes a
// cheap access check, yet every publish fails; so once an operation fails with STORAGE_FULL,
// check() (what /ready asks) fails too, until a probe write of PROBE_BYTES succeeds again
// (space was freed, the quota raised). The probe writes only while the store is known full,
// so a healthy store's /ready costs no write. A Proxy, so operations added to the port later
// are watched too.
import { randomUUID } from 'node:crypto';
import type { ObjectStore } from './object-store.js';
import { isStorageError } from './errors.js';

/** A probe the size of a typical small write (a metadata document, a small layer chunk). */
export const PROBE_BYTES = 64 * 1024;
/** Under tmp/, where interrupted writes live and gc sweeps anything a crash leaves. */
const PROBE_PREFIX = 'tmp/ready-probe-';

/** Writes and removes one probe object; rejects with the store's error when it cannot write. */
export async function probeWrite(store: ObjectStore): Promise<void> {
  const key = `${PROBE_PREFIX}${randomUUID()}`;
  try {
    await store.put(key, Buffer.alloc(PROBE_BYTES));
  } finally {
    await store.delete(key).catch(() => undefined);
  }
}

export function watchWrites(inner: ObjectStore): ObjectStore {
  let full = false;
  const watched = new Map<PropertyKey, unknown>();

  const check = async () => {
    await inner.check();
    if (!full) return;
    await probeWrite(inner);
    full = false;
  };

  return new Proxy(inner, {
    get(target, property) {
      if (property === 'check') return check;
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (!watched.has(property)) {
        watched.set(property, (...args: unknown[]) => {
          const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
          if (!(result instanceof Promise)) return result;
          return result.catch((error: unknown) => {
            if (isStorageError(error, 'STORAGE_FULL')) full = true;
            throw error;
          });
        });
      }
      return watched.get(property);
    },
  });
}
