// Cache eviction for PyPI: one item per project whose page is cached from an upstream
// (repos/pypi/<project>/upstream.json), sized by the files of it that are stored. Evicting deletes
// the cached page (one ArtifactDeleted); its files are then referenced by nothing and gc frees
// them; the next pip run fetches the page and files again. Local projects are never items.
import type { BlobStore } from '../blobs/blob-store.js';
import type { EventBus } from '../events/bus.js';
import type { CachedItem } from '../formats/format-service.js';
import type { PullTracker } from '../pulls/pull-tracker.js';
import { readDocument } from '../storage/documents.js';
import { listAll, type ObjectStore } from '../storage/object-store.js';
import type { UpstreamSettings } from '../config/upstream-fields.js';
import { PROJECTS_PREFIX } from './project-store.js';
import { upstreamKey, type UpstreamDocument } from './upstream-pages.js';

const SUFFIX = '/upstream.json';

/** The configured upstream a page came from, by name (its URL's host when unnamed). */
const upstreamOf = (upstreams: UpstreamSettings[], source: string): string => {
  const found = upstreams.find((u) => source.startsWith(u.url.replace(/\/?$/, '/'))) ?? upstreams[0];
  return found ? found.name || new URL(found.url).host : new URL(source).host;
};

export async function* cachedProjects(deps: { store: ObjectStore; blobs: BlobStore; pulls: PullTracker; upstreams: UpstreamSettings[] }): AsyncGenerator<CachedItem> {
  for await (const info of listAll(deps.store, PROJECTS_PREFIX)) {
    if (!info.key.endsWith(SUFFIX)) continue;
    const project = info.key.slice(PROJECTS_PREFIX.length, -SUFFIX.length);
    if (project.includes('/') || upstreamKey(project) !== info.key) continue;
    const doc = (await readDocument<UpstreamDocument>(deps.store, info.key))?.value;
    if (!doc) continue;
    const blobs: CachedItem['blobs'] = [];
    for (const file of doc.files) {
      const stat = /^[0-9a-f]{64}$/.test(file.sha256) ? await deps.blobs.stat(`sha256:${file.sha256}`) : undefined;
      if (stat) blobs.push({ digest: `sha256:${file.sha256}`, size: stat.size });
    }
    const pulls = Object.values(await deps.pulls.read('pypi', project)).map((s) => s.last).sort();
    yield {
      name: project, reference: '*', upstream: upstreamOf(deps.upstreams, doc.source), size: blobs.reduce((sum, b) => sum + b.size, 0),
      cached: new Date(doc.fetchedAt).toISOString(), ...(pulls.length ? { lastPulled: pulls.at(-1)! } : {}), blobs,
    };
  }
}

/** Deletes the cached page of `item`'s project; false when none is cached. */
export async function evictProject(deps: { store: ObjectStore; events: EventBus }, item: CachedItem, actor?: string): Promise<boolean> {
  if (item.name.includes('/') || !(await deps.store.delete(upstreamKey(item.name)))) return false;
  deps.events.publish({ type: 'ArtifactDeleted', artifact: { format: 'pypi', name: item.name }, cached: true, ...(actor ? { actor } : {}) });
  return true;
}
