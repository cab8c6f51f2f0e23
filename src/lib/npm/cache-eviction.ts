// Cache eviction for npm: one item per package whose packument is cached from the upstream
// (repos/npm/<name>/upstream.json), sized by the tarballs of it that are stored. Evicting deletes
// the cached packument (one ArtifactDeleted): its tarballs are then referenced by nothing and gc
// frees them; the next install fetches the packument and tarballs again. Published (local)
// packages live in other documents and are never items.
import type { BlobStore } from '../blobs/blob-store.js';
import type { EventBus } from '../events/bus.js';
import type { CachedItem } from '../formats/format-service.js';
import type { PullTracker } from '../pulls/pull-tracker.js';
import { readDocument } from '../storage/documents.js';
import { listAll, type ObjectStore } from '../storage/object-store.js';
import { parseIntegrity } from './integrity.js';
import { parsePackageName } from './package-name.js';
import { upstreamKey } from './upstream/packument-cache.js';

interface CachedDocument { fetchedAt: number; packument: { name?: unknown; versions?: Record<string, { dist?: { integrity?: unknown } }> } }

const SUFFIX = '/upstream.json';

export async function* cachedPackages(deps: { store: ObjectStore; blobs: BlobStore; pulls: PullTracker }, upstream: string): AsyncGenerator<CachedItem> {
  for await (const info of listAll(deps.store, 'repos/npm/')) {
    if (!info.key.endsWith(SUFFIX)) continue;
    const doc = (await readDocument<CachedDocument>(deps.store, info.key))?.value;
    const name = doc?.packument.name;
    const parsed = typeof name === 'string' ? parseName(name) : undefined;
    if (!doc || !parsed || info.key !== upstreamKey(parsed)) continue;
    const blobs: CachedItem['blobs'] = [];
    for (const version of Object.values(doc.packument.versions ?? {})) {
      const sri = parseIntegrity(version.dist?.integrity);
      const stat = sri && (await deps.blobs.stat(`sha512:${sri.hex}`));
      if (stat) blobs.push({ digest: `sha512:${sri.hex}`, size: stat.size });
    }
    const pulls = Object.values(await deps.pulls.read('npm', parsed.full)).map((s) => s.last).sort();
    yield {
      name: parsed.full, reference: '*', upstream, size: blobs.reduce((sum, b) => sum + b.size, 0), cached: new Date(doc.fetchedAt).toISOString(),
      ...(pulls.length ? { lastPulled: pulls.at(-1)! } : {}), blobs,
    };
  }
}

/** Deletes the cached packument of `item`'s package; false when none is cached. */
export async function evictPackage(deps: { store: ObjectStore; events: EventBus }, item: CachedItem, actor?: string): Promise<boolean> {
  const name = parseName(item.name);
  if (!name || !(await deps.store.delete(upstreamKey(name)))) return false;
  deps.events.publish({ type: 'ArtifactDeleted', artifact: { format: 'npm', name: name.full }, cached: true, ...(actor ? { actor } : {}) });
  return true;
}

function parseName(text: string) {
  try {
    return parsePackageName(text);
  } catch {
    return undefined;
  }
}
