// Cache eviction for the crates.io cache: one item per crate whose index file is cached
// (repos/cargo/crates-io/<name>/index.json), sized by the .crate files of it that are stored.
// Evicting deletes the cached index file (one ArtifactDeleted); its .crate files are then
// referenced by nothing and gc frees them; cargo fetches both again when it needs them. Local
// crates are never items.
import type { BlobStore } from '../../blobs/blob-store.js';
import type { EventBus } from '../../events/bus.js';
import type { CachedItem } from '../../formats/format-service.js';
import type { PullTracker } from '../../pulls/pull-tracker.js';
import { readDocument } from '../../storage/documents.js';
import { listAll, type ObjectStore } from '../../storage/object-store.js';
import { UPSTREAM_PREFIX, type CachedIndexFile } from './index-cache.js';

const SUFFIX = '/index.json';
const keyOf = (name: string) => `${UPSTREAM_PREFIX}${name.toLowerCase()}${SUFFIX}`;

export async function* cachedCrates(deps: { store: ObjectStore; blobs: BlobStore; pulls: PullTracker; upstream: string }): AsyncGenerator<CachedItem> {
  for await (const info of listAll(deps.store, UPSTREAM_PREFIX)) {
    if (!info.key.endsWith(SUFFIX)) continue;
    const name = info.key.slice(UPSTREAM_PREFIX.length, -SUFFIX.length);
    if (name.includes('/')) continue;
    const doc = (await readDocument<CachedIndexFile>(deps.store, info.key))?.value;
    if (!doc) continue;
    const blobs: CachedItem['blobs'] = [];
    for (const line of doc.body.split('\n')) {
      const cksum = /"cksum"\s*:\s*"([0-9a-f]{64})"/.exec(line)?.[1];
      const stat = cksum ? await deps.blobs.stat(`sha256:${cksum}`) : undefined;
      if (stat) blobs.push({ digest: `sha256:${cksum!}`, size: stat.size });
    }
    const pulls = Object.values(await deps.pulls.read('cargo', name)).map((s) => s.last).sort();
    yield {
      name, reference: '*', upstream: deps.upstream, size: blobs.reduce((sum, b) => sum + b.size, 0),
      cached: doc.updated, ...(pulls.length ? { lastPulled: pulls.at(-1)! } : {}), blobs,
    };
  }
}

/** Deletes the cached index file of `item`'s crate; false when none is cached. */
export async function evictCrate(deps: { store: ObjectStore; events: EventBus }, item: CachedItem, actor?: string): Promise<boolean> {
  if (item.name.includes('/') || !(await deps.store.delete(keyOf(item.name)))) return false;
  deps.events.publish({ type: 'ArtifactDeleted', artifact: { format: 'cargo', name: item.name }, cached: true, ...(actor ? { actor } : {}) });
  return true;
}
