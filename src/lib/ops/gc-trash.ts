// Deleting a batch of blobs in two steps: move them aside to gc-trash/, re-check references
// written since the run started, move back any that gained one, delete the rest. A writer that
// finds a blob gone while it is in the trash simply stores it again (the blob store's write), and
// one that linked it before the re-check gets it back; so a blob is lost only if a writer's
// check-then-link gap encloses the whole move-recheck step. Entries a crashed run left behind are
// settled by the next run: back if referenced, else deleted.
import type { ObjectStore } from '../storage/object-store.js';
import { listAll } from '../storage/object-store.js';
import { isStorageError } from '../storage/errors.js';
import { blobKey, parseDigest } from '../blobs/digest.js';

export const TRASH_PREFIX = 'gc-trash/';
const trashKey = (digest: string) => `${TRASH_PREFIX}${blobKey(digest).slice('blobs/'.length)}`;

async function quietly(action: () => Promise<unknown>): Promise<boolean> {
  try {
    await action();
    return true;
  } catch (error) {
    if (isStorageError(error, 'NOT_FOUND')) return false; // another collector got there first
    throw error;
  }
}

/**
 * Deletes `digests` unless `referenced()` (called after they were moved aside) names them;
 * returns the digests actually deleted.
 */
export async function deleteThroughTrash(store: ObjectStore, digests: string[], referenced: () => Promise<Set<string>>): Promise<string[]> {
  const moved: string[] = [];
  for (const digest of digests) if (await quietly(() => store.move(blobKey(digest), trashKey(digest)))) moved.push(digest);
  const keep = await referenced();
  const deleted: string[] = [];
  for (const digest of moved) {
    if (keep.has(digest)) await store.move(trashKey(digest), blobKey(digest));
    else if (await store.delete(trashKey(digest))) deleted.push(digest);
  }
  return deleted;
}

/** Settles what an interrupted run left in the trash; returns how many were put back. */
export async function settleTrash(store: ObjectStore, marked: ReadonlySet<string>): Promise<number> {
  let restored = 0;
  for await (const info of listAll(store, TRASH_PREFIX)) {
    const [algorithm, , hex] = info.key.slice(TRASH_PREFIX.length).split('/');
    const digest = `${algorithm}:${hex}`;
    if (!parseDigest(digest)) continue;
    if (marked.has(digest)) {
      await store.move(info.key, blobKey(digest));
      restored++;
    } else await store.delete(info.key);
  }
  return restored;
}
