// Proves, before a server takes traffic, that the store decides conditional creates: the same
// If-None-Match create twice must give one success and one PRECONDITION_FAILED. Several NORA
// processes on one bucket rely on it (every metadata document is a compare-and-swap); a store
// that overwrites instead (s3rver, some gateways) would silently lose concurrent writes.
import { randomUUID } from 'node:crypto';
import type { ObjectStore } from './object-store.js';
import { isStorageError, StorageErrors } from './errors.js';

/** Resolves when the store honours a conditional create; otherwise throws CONDITIONAL_WRITES_UNSUPPORTED. */
export async function probeConditionalWrites(store: ObjectStore): Promise<void> {
  const key = `_nora/probe/conditional-${randomUUID()}`;
  const create = () => store.put(key, Buffer.from('probe'), { ifNoneMatch: '*' });
  try {
    await create();
    try {
      await create();
    } catch (error) {
      if (isStorageError(error, 'PRECONDITION_FAILED')) return;
      throw error;
    }
    throw StorageErrors.CONDITIONAL_WRITES_UNSUPPORTED.error(
      `the ${store.kind} store replaced an existing object on a conditional create (If-None-Match: *), so several servers `
        + 'sharing it would lose concurrent writes; use a store with conditional writes, or set '
        + 'storage.s3.unsafe_no_conditional_writes = true to run one single server on it anyway',
      { store: store.kind },
    );
  } finally {
    await store.delete(key).catch(() => undefined);
  }
}
