// Streams a body into one storage key while hashing and counting it (HashingStream). On any
// failure — the client went away, a size limit was crossed, the store refused — both halves are
// stopped and the key is removed, so nothing partial is left behind; the error is rethrown.
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ObjectStore } from '../storage/object-store.js';
import { HashingStream, type HashingOptions } from './hashing-stream.js';

export async function putHashed(store: ObjectStore, key: string, body: Readable, options: HashingOptions): Promise<HashingStream> {
  const hashing = new HashingStream(options);
  const sink = new PassThrough();
  try {
    await Promise.all([pipeline(body, hashing, sink), store.put(key, sink)]);
    return hashing;
  } catch (error) {
    hashing.destroy();
    sink.destroy();
    await store.delete(key).catch(() => undefined);
    throw error;
  }
}
