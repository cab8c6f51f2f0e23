// Applies an adapter's error translation to every operation of a store, so failures any
// operation can hit (a full disk, a read-only filesystem) become typed errors without a
// catch-and-translate block in each adapter method. A Proxy rather than a list of methods, so
// operations added to the port later are covered too.
import type { ObjectStore } from './object-store.js';

/** Maps an adapter failure of `operation` on `key` to a typed StorageError (or returns it unchanged). */
export type Translate = (error: unknown, operation: string, key: string) => unknown;

export function translatedStore<T extends ObjectStore>(inner: T, translate: Translate): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(inner, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (!wrapped.has(property)) {
        const operation = String(property);
        wrapped.set(property, (...args: unknown[]) => {
          const fail = (error: unknown): never => { throw translate(error, operation, typeof args[0] === 'string' ? args[0] : ''); };
          try {
            const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
            return result instanceof Promise ? result.catch(fail) : result;
          } catch (error) {
            return fail(error);
          }
        });
      }
      return wrapped.get(property);
    },
  });
}
