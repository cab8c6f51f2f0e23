// Cache eviction for OCI: the manifests of pull-through repositories (repos/oci/<name>/_upstream/
// origin), one item per manifest that no index of the repository lists (an index goes with its
// platforms' manifests left for a later pass, which finds them unlisted). A manifest a tag pushed
// here names (allow_push) is local content and never an item. Evicting deletes the manifest and
// its tags (one ArtifactDeleted); the next pull fetches it from the upstream again.
import type { CachedItem } from '../formats/format-service.js';
import type { PullTracker } from '../pulls/pull-tracker.js';
import { readDocument } from '../storage/documents.js';
import type { ImageSizes } from './image-size.js';
import { layout } from './layout.js';
import { listManifests } from './manifest-listing.js';
import { parseReference } from './names.js';
import { isNoraError } from '../errors/nora-error.js';
import type { LocalOci } from './registry.js';
import type { CachedTag } from './upstream/cache-records.js';

const upstreamOf = async (local: LocalOci, name: string): Promise<string | undefined> =>
  (await readDocument<{ upstream: string }>(local.store, layout.upstreamOrigin(name)))?.value.upstream;

export async function* cachedManifests(local: LocalOci, sizes: ImageSizes, pulls: PullTracker): AsyncGenerator<CachedItem> {
  for (const name of (await local.catalog.names()).sort()) {
    const upstream = await upstreamOf(local, name);
    if (upstream === undefined) continue;
    const manifests = await listManifests(local, sizes, name, await pulls.read('oci', name));
    const children = new Set(manifests.flatMap((m) => m.children));
    for (const m of manifests) {
      if (children.has(m.digest)) continue;
      const records = await Promise.all(m.tags.map((tag) => readDocument<CachedTag>(local.store, layout.upstreamTag(name, tag))));
      if (records.some((r) => r?.value.digest !== m.digest)) continue;
      const size = m.blobs.reduce((sum, b) => sum + b.size, 0);
      yield { name, reference: m.digest, upstream, size, cached: m.pushed, ...(m.lastPulled ? { lastPulled: m.lastPulled } : {}), blobs: m.blobs };
    }
  }
}

/** Deletes a cached manifest when its repository is still a cache of the same upstream. */
export async function evictManifest(local: LocalOci, item: CachedItem, actor: string | undefined): Promise<boolean> {
  if ((await upstreamOf(local, item.name)) !== item.upstream) return false;
  try {
    await local.manifests.delete(item.name, parseReference(item.reference), actor);
    return true;
  } catch (error) {
    if (isNoraError(error) && error.code === 'MANIFEST_UNKNOWN') return false;
    throw error;
  }
}
