// Wraps any adapter to count operations and failures, so adapters stay free of metrics code.
// Expected answers (not found, precondition failed, bad range) are outcomes, not errors.
import type { ObjectStore } from './object-store.js';
import type { Metrics } from '../metrics/metrics.js';
import { StorageError } from './errors.js';

const EXPECTED = new Set(['NOT_FOUND', 'PRECONDITION_FAILED', 'RANGE_NOT_SATISFIABLE', 'INVALID_PATH']);
const OPERATIONS = ['stat', 'get', 'put', 'move', 'delete', 'list', 'check'] as const;

export function meteredStore(inner: ObjectStore, metrics: Metrics): ObjectStore {
  const wrapped: Record<string, unknown> = { kind: inner.kind, close: () => inner.close() };
  for (const operation of OPERATIONS) {
    const labels = { backend: inner.kind, operation };
    wrapped[operation] = async (...args: unknown[]) => {
      metrics.storageOps.inc(labels);
      try {
        return await (inner[operation] as (...a: unknown[]) => Promise<unknown>).apply(inner, args);
      } catch (error) {
        if (error instanceof StorageError && error.code === 'PRECONDITION_FAILED') metrics.storageConflicts.inc(labels);
        else if (!(error instanceof StorageError && EXPECTED.has(error.code))) metrics.storageErrors.inc(labels);
        throw error;
      }
    };
  }
  if (inner.presignGet) wrapped.presignGet = inner.presignGet.bind(inner);
  if (inner.writeAt) wrapped.writeAt = inner.writeAt.bind(inner);
  if (inner.truncate) wrapped.truncate = inner.truncate.bind(inner);
  return wrapped as unknown as ObjectStore;
}
