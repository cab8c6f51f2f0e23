// Streams a body into one storage key while hashing and counting it (HashingStream). On any
// failure — the client went away, a size limit was crossed, the store refused — both halves are
// stopped and the key is removed, so nothing partial is left behind; the error is rethrown.
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ObjectStore } from '../storage/object-store.js';
import { StorageError } from '../storage/errors.js';
import { passHandOver } from '../streams/handed-over.js';
import { HashingStream, type HashingOptions } from './hashing-stream.js';

export async function putHashed(store: ObjectStore, key: string, body: Readable, options: HashingOptions): Promise<HashingStream> {
  // The hashing stream is the store's body itself: every hop between socket and disk costs
  // objects and callbacks per chunk (the push path's GC), so there is no extra PassThrough.
  const hashing = passHandOver(body, new HashingStream(options));
  const stored = store.put(key, hashing);
  try {
    await Promise.all([pipeline(body, hashing), stored]);
    return hashing;
  } catch (error) {
    hashing.destroy();
    // A store that refused the write (full, unreachable) also breaks the copy, often first and
    // with the backend's raw error: its own typed error is the one that explains the failure.
    const refusal = await stored.then(() => undefined, (e: unknown) => e);
    await store.delete(key).catch(() => undefined);
    throw refusal instanceof StorageError ? refusal : error;
  }
}
