// Cache items of the PyPI and crates.io caches (one per cached page or index file, sized by the
// stored files it names) and their eviction through the services; and the pure eviction plan.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../../src/lib/storage/memory-store.js';
import { writeDocument } from '../../../../src/lib/storage/documents.js';
import { BlobStore } from '../../../../src/lib/blobs/blob-store.js';
import { EventBus, type DomainEvent } from '../../../../src/lib/events/bus.js';
import type { CachedItem, FormatService } from '../../../../src/lib/formats/format-service.js';
import { planEvictions } from '../../../../src/lib/ops/retention/cache.js';
import { formatsFor } from '../../../helpers/formats.js';

const items = async (service: FormatService) => {
  const out: CachedItem[] = [];
  for await (const item of service.listCached!()) out.push(item);
  return out;
};

describe('cache items', () => {
  it('PyPI pages and crates.io index files: listed with stored files, evicted with one event each', async () => {
    const store = new MemoryStore();
    const events = new EventBus();
    const seen: DomainEvent[] = [];
    events.subscribe((e) => { seen.push(e); });
    const formats = formatsFor(store, events);
    const blobs = new BlobStore(store);
    const stored = await blobs.write(Readable.from([Buffer.from('a wheel')]));
    const hex = stored.digest.slice('sha256:'.length);
    await writeDocument(store, 'repos/pypi/requests/upstream.json', {
      name: 'requests', versions: ['1.0'], source: 'https://pypi.example/simple/requests/', fetchedAt: Date.parse('2026-05-01T00:00:00Z'),
      files: [{ filename: 'requests-1.0-py3-none-any.whl', url: 'https://x/requests-1.0.whl', sha256: hex }, { filename: 'requests-1.0.tar.gz', url: 'https://x/r.tgz', sha256: 'f'.repeat(64) }],
    });
    await writeDocument(store, 'repos/cargo/crates-io/serde/index.json', {
      body: `{"name":"serde","vers":"1.0.0","cksum":"${hex}"}\n{"name":"serde","vers":"1.0.1","cksum":"${'e'.repeat(64)}"}\n`, digest: 'x', upstream_etag: null, upstream_last_modified: null, updated: '2026-05-02T00:00:00.000Z', checked_at: 0,
    });

    const pypi = await items(formats.pypi);
    expect(pypi.map((i) => [i.name, i.upstream, i.size, i.cached])).toEqual([['requests', 'pypi.example', 7, '2026-05-01T00:00:00.000Z']]);
    const cargo = await items(formats.cargo);
    expect(cargo.map((i) => [i.name, i.upstream, i.size])).toEqual([['serde', 'index.crates.io', 7]]);

    expect(await formats.pypi.evictCached(pypi[0]!, { actor: 'retention' })).toBe(true);
    expect(await formats.cargo.evictCached(cargo[0]!, { actor: 'retention' })).toBe(true);
    expect(await formats.cargo.evictCached(cargo[0]!, { actor: 'retention' })).toBe(false);
    expect(await items(formats.pypi)).toEqual([]);
    expect(await items(formats.cargo)).toEqual([]);
    expect(seen.map((e) => [e.type, e.artifact.format, e.artifact.name, e.actor])).toEqual([['ArtifactDeleted', 'pypi', 'requests', 'retention'], ['ArtifactDeleted', 'cargo', 'serde', 'retention']]);
  });
});

describe('planEvictions', () => {
  const NOW = Date.parse('2026-06-01T00:00:00Z');
  const item = (name: string, size: number, lastPulledDaysAgo?: number, format: 'oci' | 'npm' = 'oci', upstream = 'hub') => ({
    format, name, reference: 'r', upstream, size, cached: new Date(NOW - 60 * 86_400_000).toISOString(), blobs: [],
    ...(lastPulledDaysAgo === undefined ? {} : { lastPulled: new Date(NOW - lastPulledDaysAgo * 86_400_000).toISOString() }),
  });

  it('not_pulled_for, then the budget least recently pulled first; the first matching rule decides; other upstreams untouched', () => {
    const all = [item('a', 10, 1), item('b', 10, 3), item('c', 10, 2), item('old', 10, 40), item('never', 10), item('other', 10, 50, 'oci', 'ghcr'), item('pkg', 10, 50, 'npm', 'npmjs')];
    const rules = [
      { upstream: 'hub', format: 'oci' as const, not_pulled_for: 30 * 86_400_000, max_size: 20 },
      { upstream: '', format: 'npm' as const, not_pulled_for: 0, max_size: 100 },
    ];
    const plan = planEvictions(rules, all, NOW);
    expect(plan.map((e) => [e.name, e.rule, e.reason])).toEqual([
      ['old', 0, 'not_pulled_for = 30d: last pulled 40d ago'],
      ['never', 0, 'not_pulled_for = 30d: never pulled, cached 60d ago'],
      ['b', 0, 'max_size = 20 bytes: over the budget, last pulled 3d ago'],
    ]);
  });
});
