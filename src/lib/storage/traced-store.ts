// With tracing on, wraps the store so every operation made under a span (a request) is a child
// span "storage.<operation>" with the backend and key. Work outside any span (background
// flushes, gc) passes straight through. Never installed when tracing is off.
import type { ObjectStore } from './object-store.js';
import { currentSpan } from '../tracing/span-context.js';
import { StorageError } from './errors.js';

const OPERATIONS = ['stat', 'get', 'put', 'move', 'delete', 'list', 'check'] as const;

export function tracedStore(inner: ObjectStore): ObjectStore {
  const wrapped: Record<string, unknown> = { kind: inner.kind, close: () => inner.close() };
  for (const operation of OPERATIONS) {
    const call = (args: unknown[]) => (inner[operation] as (...a: unknown[]) => Promise<unknown>).apply(inner, args);
    wrapped[operation] = async (...args: unknown[]) => {
      const parent = currentSpan();
      if (!parent) return call(args);
      const span = parent.child(`storage.${operation}`, { 'nora.storage.backend': inner.kind, ...(typeof args[0] === 'string' ? { 'nora.storage.key': args[0].slice(0, 300) } : {}) });
      try {
        return await call(args);
      } catch (error) {
        // A not-found or a lost conditional write is an answer, not a failure.
        if (error instanceof StorageError) span.set({ 'nora.storage.outcome': error.code });
        else span.fail((error as Error).message);
        throw error;
      } finally {
        span.end();
      }
    };
  }
  if (inner.presignGet) wrapped.presignGet = inner.presignGet.bind(inner);
  if (inner.writeAt) wrapped.writeAt = inner.writeAt.bind(inner);
  if (inner.truncate) wrapped.truncate = inner.truncate.bind(inner);
  return wrapped as unknown as ObjectStore;
}
