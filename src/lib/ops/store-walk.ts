// Which objects of a store the operator commands carry: metadata (everything but blobs and
// temporary writes) and blobs. In-flight state of a format (OCI upload sessions, as the format
// service says) is not an artifact: backup skips it; gc-trash/ is a collector's scratch space; the registry token signing keys
// (auth/keys/) only travel when asked. API tokens (auth/tokens/, hashes only) always do. The
// store's format marker never travels.
import type { ObjectInfo, ObjectStore } from '../storage/object-store.js';
import { listAll } from '../storage/object-store.js';
import { TEMP_PREFIX } from '../blobs/blob-store.js';
import { TRASH_PREFIX } from './gc-trash.js';
import { MARKER_KEY } from '../storage/store-marker.js';

export const BLOB_PREFIX = 'blobs/';
export const SECRET_PREFIX = 'auth/keys/';

export interface WalkOptions {
  /** Leave out these keys (backup: formats' in-flight state). */
  skip?: (key: string) => boolean;
  /** Include the signing keys under auth/keys/ (default false). */
  includeSecrets?: boolean;
}

/** Every metadata object, top-level prefix by prefix, in key order. */
export async function* metadataObjects(store: ObjectStore, options: WalkOptions = {}): AsyncGenerator<ObjectInfo> {
  const top = await store.list('', { delimiter: '/' });
  // The format marker describes the store itself: each store writes its own when opened.
  for (const info of top.items) if (info.key !== MARKER_KEY && !options.skip?.(info.key)) yield info;
  for (const prefix of top.prefixes) {
    if (prefix === BLOB_PREFIX || prefix === TEMP_PREFIX || prefix === TRASH_PREFIX) continue;
    for await (const info of listAll(store, prefix)) {
      if (options.skip?.(info.key)) continue;
      if (info.key.startsWith(SECRET_PREFIX) && !options.includeSecrets) continue;
      yield info;
    }
  }
}

/** True when the store holds any artifact (blob or metadata). */
export async function holdsArtifacts(store: ObjectStore): Promise<boolean> {
  for (const prefix of [BLOB_PREFIX, 'repos/']) if ((await store.list(prefix, { limit: 1 })).items.length > 0) return true;
  return false;
}
