// Deleting a batch of blobs in two steps: move them aside to gc-trash/, re-check references
// written since the run started, move back any that gained one, delete the rest. A writer that
// finds a blob gone while it is in the trash simply stores it again (the blob store's write), and
// one that linked it before the re-check gets it back; so a blob is lost only if a writer's
// check-then-link gap encloses the whole move-recheck step. Entries found in the trash at the
// start of a run (a crashed run's, or a concurrent collector's) are always moved back: putting a
// blob back is never wrong, it just waits for the next candidate list.
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
    // Another collector may have put it back meanwhile: then it simply stays.
    if (keep.has(digest)) await quietly(() => store.move(trashKey(digest), blobKey(digest)));
    else if (await store.delete(trashKey(digest))) deleted.push(digest);
  }
  return deleted;
}

/** Moves everything found in the trash back into the blob store; returns how many. */
export async function settleTrash(store: ObjectStore): Promise<number> {
  let restored = 0;
  for await (const info of listAll(store, TRASH_PREFIX)) {
    const [algorithm, , hex] = info.key.slice(TRASH_PREFIX.length).split('/');
    if (!parseDigest(`${algorithm}:${hex}`)) continue;
    if (await quietly(() => store.move(info.key, blobKey(`${algorithm}:${hex}`)))) restored++;
  }
  return restored;
}
