// Cache eviction for Maven: the files cached from upstreams (repos/maven/cache/.../@index.json),
// one item per artifact version and upstream. Evicting removes that version's cached files from
// the cache document in one compare-and-swap (the next request fetches them again) and publishes
// one ArtifactDeleted; deployed (local) files live in another document and are never touched.
import type { CachedItem } from '../formats/format-service.js';
import type { EventBus } from '../events/bus.js';
import type { PullTracker } from '../pulls/pull-tracker.js';
import type { ObjectStore } from '../storage/object-store.js';
import { listAll } from '../storage/object-store.js';
import { DELETE, readDocument, updateDocument } from '../storage/documents.js';
import { artifactKey, type CacheDocument } from './artifact-document.js';
import { artifactName, parseMavenName } from './coordinates.js';

const CACHE = 'repos/maven/cache/';
const INDEX = '/@index.json';

/** Every cached version, by upstream: size, when cached (its newest file) and last pulled. */
export async function* cachedVersions(store: ObjectStore, pulls: PullTracker): AsyncGenerator<CachedItem> {
  for await (const info of listAll(store, CACHE)) {
    if (!info.key.endsWith(INDEX)) continue;
    const name = info.key.slice(CACHE.length, -INDEX.length);
    const doc = (await readDocument<CacheDocument>(store, info.key))?.value;
    if (!doc || !parseMavenName(name)) continue;
    const record = await pulls.read('maven', name);
    const items = new Map<string, CachedItem>();
    for (const [path, file] of Object.entries(doc.files)) {
      const version = path.slice(0, path.indexOf('/'));
      const id = `${version}\u0000${file.upstream}`;
      let item = items.get(id);
      if (!item) items.set(id, (item = { name, reference: version, upstream: file.upstream, size: 0, cached: file.modified, blobs: [] }));
      if (file.modified > item.cached) item.cached = file.modified;
      if (!item.blobs.some((b) => b.digest === file.digest)) { item.blobs.push({ digest: file.digest, size: file.size }); item.size += file.size; }
      const last = record[path]?.last;
      if (last && (!item.lastPulled || last > item.lastPulled)) item.lastPulled = last;
    }
    yield* items.values();
  }
}

/** Removes the cached files of `item`'s version from its upstream; false when none is cached. */
export async function evictCachedVersion(deps: { store: ObjectStore; events: EventBus }, item: CachedItem, actor?: string): Promise<boolean> {
  const artifact = parseMavenName(item.name);
  if (!artifact) return false;
  let removed = 0;
  await updateDocument<CacheDocument>(deps.store, artifactKey('cache', artifact), (current) => {
    removed = 0;
    if (!current) return undefined;
    const files = Object.fromEntries(Object.entries(current.files).filter(([path, file]) => !(path.startsWith(`${item.reference}/`) && file.upstream === item.upstream)));
    removed = Object.keys(current.files).length - Object.keys(files).length;
    if (removed === 0) return undefined;
    return Object.keys(files).length === 0 ? DELETE : { ...current, files };
  });
  if (removed > 0) deps.events.publish({ type: 'ArtifactDeleted', artifact: { format: 'maven', name: artifactName(artifact), reference: item.reference }, cached: true, ...(actor ? { actor } : {}) });
  return removed > 0;
}
