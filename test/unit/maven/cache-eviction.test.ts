// Maven cache eviction: cached upstream files are listed one item per version and upstream, with
// their last pull; evicting one removes only its files from the cache document (one event), and
// deployed files are never items.
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';
import { writeDocument } from '../../../src/lib/storage/documents.js';
import { EventBus, type DomainEvent } from '../../../src/lib/events/bus.js';
import { formatsFor } from '../../helpers/formats.js';
import type { CachedItem } from '../../../src/lib/formats/format-service.js';

const file = (digest: string, size: number, upstream: string) => ({ digest, size, md5: '', sha1: '', sha256: '', sha512: '', modified: '2026-05-01T00:00:00.000Z', upstream });

describe('Maven cached versions', () => {
  it('lists cached versions per upstream and evicts one through the service', async () => {
    const store = new MemoryStore();
    const events = new EventBus();
    const seen: DomainEvent[] = [];
    events.subscribe((e) => { seen.push(e); });
    const { maven } = formatsFor(store, events);
    await writeDocument(store, 'repos/maven/cache/org/example/lib/@index.json', {
      files: {
        '1.0/lib-1.0.jar': file('sha256:a', 100, 'central'),
        '1.0/lib-1.0.pom': file('sha256:b', 10, 'central'),
        '2.0/lib-2.0.jar': file('sha256:c', 200, 'central'),
      },
    });
    const items: CachedItem[] = [];
    for await (const item of maven.listCached()) items.push(item);
    expect(items.map((i) => [i.name, i.reference, i.upstream, i.size])).toEqual([['org/example/lib', '1.0', 'central', 110], ['org/example/lib', '2.0', 'central', 200]]);

    expect(await maven.evictCached(items[0]!, { actor: 'retention' })).toBe(true);
    expect(await maven.evictCached(items[0]!, { actor: 'retention' })).toBe(false);
    const left: CachedItem[] = [];
    for await (const item of maven.listCached()) left.push(item);
    expect(left.map((i) => i.reference)).toEqual(['2.0']);
    expect(seen.filter((e) => e.type === 'ArtifactDeleted').map((e) => [e.actor, e.artifact.name, e.artifact.reference])).toEqual([['retention', 'org/example/lib', '1.0']]);
  });
});
