// Small JSON documents (tags, package documents, indexes) over the storage port, updated by
// compare-and-swap: read with its etag, compute the new value, write only if nobody wrote in
// between, else re-read and retry. Concurrent publishers therefore never lose a write.
import type { ObjectStore } from './object-store.js';
import { isStorageError } from './errors.js';
import { collect } from './body.js';
import { CommonErrors } from '../errors/catalog.js';

export interface VersionedDocument<T> {
  value: T;
  etag: string;
}

/** Reads and parses a JSON document; undefined when it does not exist. */
export async function readDocument<T>(store: ObjectStore, key: string): Promise<VersionedDocument<T> | undefined> {
  try {
    const { info, body } = await store.get(key);
    return { value: JSON.parse((await collect(body)).toString('utf8')) as T, etag: info.etag };
  } catch (error) {
    if (isStorageError(error, 'NOT_FOUND')) return undefined;
    throw error;
  }
}

/** What an update function returns: the new value, `undefined` to leave the document as is, or DELETE. */
export const DELETE = Symbol('delete document');

export interface UpdateOptions {
  /** Attempts before giving up with CONFLICT (default 50). */
  attempts?: number;
  /** false: the document may be lost in a crash (PutOptions.durable). */
  durable?: false;
}

/**
 * Applies `change` to the current value atomically and returns the value now stored
 * (undefined if deleted or absent). `change` may run several times: keep it free of side effects.
 * Deleting is not conditional on S3, so a concurrent writer may re-create a deleted document.
 */
export async function updateDocument<T>(
  store: ObjectStore,
  key: string,
  change: (current: T | undefined) => T | undefined | typeof DELETE | Promise<T | undefined | typeof DELETE>,
  options: UpdateOptions = {},
): Promise<T | undefined> {
  const attempts = options.attempts ?? 50;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const current = await readDocument<T>(store, key);
    const next = await change(current?.value);
    if (next === undefined) return current?.value;
    if (next === DELETE) {
      await store.delete(key);
      return undefined;
    }
    try {
      const body = Buffer.from(JSON.stringify(next));
      const durable = options.durable === false ? { durable: false as const } : {};
      await store.put(key, body, current ? { ifMatch: current.etag, ...durable } : { ifNoneMatch: '*', ...durable });
      return next;
    } catch (error) {
      if (!isStorageError(error, 'PRECONDITION_FAILED')) throw error;
      // Someone else wrote first: back off a little (jittered) and re-read.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 2 ** attempt)));
    }
  }
  throw CommonErrors.CONFLICT(key);
}

/** Writes a document unconditionally (last writer wins); for documents with a single writer. */
export async function writeDocument<T>(store: ObjectStore, key: string, value: T): Promise<void> {
  await store.put(key, Buffer.from(JSON.stringify(value)));
}
