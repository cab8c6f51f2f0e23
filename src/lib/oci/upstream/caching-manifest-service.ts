// The OCI manifest service with a pull-through cache in front of it. Manifests by digest are
// immutable: fetched once (single-flight), verified against the digest and kept. A cached tag is
// served for metadata_ttl, then revalidated with a HEAD (which Docker Hub does not count as a pull);
// the manifest is fetched only when the tag's digest changed. When the upstream is rate-limiting
// or down, a cached tag is served stale (the record says so; the handler adds a header) and a
// line is logged; with nothing cached the upstream's failure is the answer.
// https://distribution.github.io/distribution/recipes/mirror/
import { createHash } from 'node:crypto';
import { isNoraError } from '../../errors/nora-error.js';
import { OciErrors } from '../errors.js';
import type { ManifestRecord, StoredManifest } from '../manifest-store.js';
import type { ManifestService } from '../manifest-service.js';
import { MEDIA_TYPES_ACCEPTED } from './accept.js';
import { parseReference, type Reference } from '../names.js';
import type { ManifestApi } from '../registry.js';
import type { TagStore } from '../tag-store.js';
import { isUpstreamFault, UpstreamErrors } from '../../upstream/errors.js';
import { SingleFlight } from '../../upstream/single-flight.js';
import type { UpstreamDeps } from './upstream-deps.js';
import type { UpstreamTarget } from './upstream-routes.js';

export class CachingManifestService implements ManifestApi {
  private readonly flights = new SingleFlight<ManifestRecord>();

  constructor(private readonly local: ManifestService, private readonly tags: TagStore, private readonly deps: UpstreamDeps) {}

  async push(name: string, reference: Reference, bytes: Buffer, contentType: string | undefined, actor?: string, options?: { lazyReferences?: boolean }): Promise<StoredManifest> {
    await this.deps.resolver.assertPushable(name);
    return this.local.push(name, reference, bytes, contentType, actor, options);
  }

  async read(record: ManifestRecord): Promise<Buffer> {
    return this.local.read(record);
  }

  async delete(name: string, reference: Reference, actor?: string): Promise<void> {
    return this.local.delete(name, reference, actor);
  }

  async resolve(name: string, reference: Reference): Promise<ManifestRecord> {
    const target = await this.deps.resolver.target(name);
    return target ? this.resolveThrough(name, reference, target) : this.local.resolve(name, reference);
  }

  async get(name: string, reference: Reference): Promise<{ record: ManifestRecord; bytes: Buffer }> {
    const target = await this.deps.resolver.target(name);
    if (!target) return this.local.get(name, reference);
    const record = await this.resolveThrough(name, reference, target);
    return { record, bytes: await this.local.read(record) };
  }

  private async resolveThrough(name: string, reference: Reference, target: UpstreamTarget): Promise<ManifestRecord> {
    if (reference.kind === 'tag') return this.resolveTag(name, reference.tag, target);
    try {
      const record = await this.local.resolve(name, reference);
      this.deps.cache.record(target.upstream.name, 'manifest', 'hit');
      return record;
    } catch (error) {
      if (!isNoraError(error) || error.code !== 'MANIFEST_UNKNOWN') throw error;
    }
    this.deps.cache.record(target.upstream.name, 'manifest', 'miss');
    return this.unknownIfRefused(name, reference.text, target, this.flights.run(`${name}@${reference.text}`, () => this.fetch(name, reference.text, target)));
  }

  /** An upstream refusing the name does not have it (Docker Hub answers 401 for unknown repositories). */
  private async unknownIfRefused(name: string, reference: string, target: UpstreamTarget, work: Promise<ManifestRecord>): Promise<ManifestRecord> {
    try {
      return await work;
    } catch (error) {
      if (!isNoraError(error) || error.code !== UpstreamErrors.DENIED.code) throw error;
      this.deps.log.warn({ upstream: target.upstream.name, name, reference, reason: error.message }, 'upstream refused the manifest; answering MANIFEST_UNKNOWN');
      throw OciErrors.MANIFEST_UNKNOWN(name, reference);
    }
  }

  private async resolveTag(name: string, tag: string, target: UpstreamTarget): Promise<ManifestRecord> {
    const { records } = this.deps.resolver;
    const [cached, current] = await Promise.all([records.tag(name, tag), this.tags.resolve(name, tag)]);
    const asTag = { kind: 'tag', tag } as const;
    // A tag pushed here (allow_push) is local content and wins over the upstream's.
    if (current && (!cached || cached.digest !== current)) return this.local.resolve(name, asTag);
    const upstream = target.upstream.name;
    if (cached && current && this.deps.now() - cached.checked < target.upstream.metadata_ttl) {
      this.deps.cache.record(upstream, 'tag', 'hit');
      return this.local.resolve(name, asTag);
    }
    try {
      const record = await this.unknownIfRefused(name, tag, target, this.flights.run(`${name}:${tag}`, () => this.revalidate(name, tag, target)));
      // Asked the upstream: unchanged is a revalidated hit, a new or moved tag a miss.
      this.deps.cache.record(upstream, 'tag', current && record.digest === current ? 'revalidated' : 'miss');
      return record;
    } catch (error) {
      if (!current || !isUpstreamFault(error)) throw error;
      this.deps.cache.record(upstream, 'tag', 'stale');
      this.deps.log.warn({ upstream: target.upstream.name, name, tag, reason: (error as Error).message }, 'upstream failed; serving the cached tag stale');
      return { ...(await this.local.resolve(name, asTag)), cacheStatus: 'stale' };
    }
  }

  /** Asks the upstream (HEAD) where `tag` points now; fetches the manifest only when that changed. */
  private async revalidate(name: string, tag: string, target: UpstreamTarget): Promise<ManifestRecord> {
    const { upstream, remote } = target;
    const head = await this.deps.client(upstream).send('HEAD', remote, `manifests/${tag}`, MEDIA_TYPES_ACCEPTED);
    if (head.status === 404) throw OciErrors.MANIFEST_UNKNOWN(name, tag);
    const announced = header(head.headers['docker-content-digest']);
    const digest = announced && parseDigestSafe(announced);
    // Unchanged (or already cached under another tag): answered from the cache without a GET.
    const record = digest ? await this.resolve(name, parseReference(digest)) : await this.fetch(name, tag, target);
    await this.tags.set(name, tag, record.digest);
    await this.deps.resolver.records.setTag(name, tag, { digest: record.digest, checked: this.deps.now() });
    return record;
  }

  /** GETs a manifest from the upstream, verifies it and stores it (its blobs follow on demand). */
  private async fetch(name: string, reference: string, { upstream, remote }: UpstreamTarget): Promise<ManifestRecord> {
    const client = this.deps.client(upstream);
    const reply = await client.send('GET', remote, `manifests/${reference}`, MEDIA_TYPES_ACCEPTED);
    if (reply.status === 404) {
      reply.body.resume();
      throw OciErrors.MANIFEST_UNKNOWN(name, reference);
    }
    const bytes = await client.read(reply, this.deps.manifestMaxSize, 'a manifest (docker.manifest_max_size)');
    const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const expected = reference.includes(':') ? reference : header(reply.headers['docker-content-digest']);
    if (expected && expected.startsWith('sha256:') && expected !== actual) {
      this.deps.metrics.errors.inc({ upstream: upstream.name, reason: 'verify' });
      throw UpstreamErrors.INTEGRITY(client.site(), `manifest ${reference}`, `it hashes to ${actual}, not ${expected}`);
    }
    await this.deps.resolver.records.markCached(name, upstream.name);
    const contentType = header(reply.headers['content-type']);
    const { record } = await this.local.push(name, parseReference(expected ?? actual), bytes, contentType, undefined, { lazyReferences: true });
    return record;
  }
}

const header = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

const parseDigestSafe = (text: string): string | undefined => (/^sha256:[a-f0-9]{64}$/.test(text) ? text : undefined);
