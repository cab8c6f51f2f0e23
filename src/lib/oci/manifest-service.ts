// Manifest operations of the OCI API: push by tag or digest, resolve, delete by tag (the tag
// only) or by digest (the manifest, its tags and its referrers entry), with the domain events.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests
import { createHash } from 'node:crypto';
import { admitted, type WriteGate } from '../formats/write-gate.js';
import { ImageSizes } from './image-size.js';
import type { Readable } from 'node:stream';
import type { BlobStore } from '../blobs/blob-store.js';
import type { EventBus } from '../events/bus.js';
import type { Catalog } from './catalog.js';
import { OciErrors } from './errors.js';
import { ManifestStore, type ManifestRecord, type StoredManifest } from './manifest-store.js';
import type { Reference } from './names.js';
import type { Referrers } from './referrers.js';
import type { RepoSummaries } from './repo-summary.js';
import type { TagStore } from './tag-store.js';

export interface ManifestDeps {
  manifests: ManifestStore;
  tags: TagStore;
  referrers: Referrers;
  catalog: Catalog;
  blobs: BlobStore;
  events: EventBus;
  summaries: RepoSummaries;
  /** Tenant quotas and push limits, asked before a manifest is stored; admits everything when absent. */
  gate?: WriteGate | undefined;
}

export class ManifestService {
  private readonly sizes: ImageSizes;

  constructor(private readonly deps: ManifestDeps) {
    this.sizes = new ImageSizes(deps.blobs);
  }

  /**
   * Stores a manifest and, when `reference` is a tag, points the tag at it (after the record
   * exists). `lazyReferences` skips the check that referenced blobs are present: the pull-through
   * cache stores an upstream's manifest before its blobs, which it fetches when asked for.
   */
  async push(name: string, reference: Reference, bytes: Buffer, contentType: string | undefined, actor?: string, options: { lazyReferences?: boolean } = {}): Promise<StoredManifest> {
    // A cached upstream manifest is not a push: it is neither counted nor limited.
    if (options.lazyReferences || !this.deps.gate) return this.store(name, reference, bytes, contentType, actor, options);
    // Everything the manifest references (an index: its children's blobs) weighs on the quota; the
    // blobs were uploaded before it, and are counted once this manifest references them.
    const digest = reference.kind === 'digest' ? reference.text : `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const parts = await this.sizes.ofBytes(digest, bytes);
    return admitted(this.deps.gate, { format: 'oci', name, blobs: parts.blobs, ...(actor ? { actor } : {}) }, () => this.store(name, reference, bytes, contentType, actor, options));
  }

  private async store(name: string, reference: Reference, bytes: Buffer, contentType: string | undefined, actor?: string, options: { lazyReferences?: boolean } = {}): Promise<StoredManifest> {
    const { manifests, tags, referrers, catalog, events, summaries } = this.deps;
    const lazy = options.lazyReferences ? { lazyReferences: true } : {};
    // A tagged push updates the repository's summary once, for the record and the tag together.
    const stored = await manifests.put(name, bytes, contentType, reference.kind === 'digest'
      ? { algorithm: reference.digest.algorithm, expectedDigest: reference.text, ...lazy }
      : { ...lazy, summaryLater: true });
    const { record, parsed } = stored;
    let summaryOwed = reference.kind === 'tag' && stored.created;
    try {
      if (parsed.subject) await referrers.add(name, parsed.subject.digest, ManifestStore.descriptor(record));
      await catalog.add(name);
      const who = actor ? { actor } : {};
      events.publish({ type: 'ArtifactPushed', artifact: { format: 'oci', name, digest: record.digest, ...(reference.kind === 'tag' ? { reference: reference.tag } : {}) }, size: record.size, ...who });
      if (reference.kind === 'tag') {
        await tags.set(name, reference.tag, record.digest, summaryOwed);
        summaryOwed = false;
        events.publish({ type: 'TagCreated', artifact: { format: 'oci', name, reference: reference.tag, digest: record.digest }, ...who });
      }
    } finally {
      // The push failed before the tag's summary update: the record still gets its own.
      if (summaryOwed) await summaries.manifestChanged(name, record.digest);
    }
    return stored;
  }

  /** The manifest a tag or digest names in `name`, or MANIFEST_UNKNOWN. */
  async resolve(name: string, reference: Reference): Promise<ManifestRecord> {
    const label = reference.kind === 'tag' ? reference.tag : reference.text;
    const digest = reference.kind === 'tag' ? await this.deps.tags.resolve(name, reference.tag) : reference.text;
    const record = digest ? await this.deps.manifests.get(name, digest) : undefined;
    if (!record) throw OciErrors.MANIFEST_UNKNOWN(name, label);
    return record;
  }

  /** The manifest's exact bytes. */
  async open(record: ManifestRecord): Promise<Readable> {
    return (await this.deps.blobs.open(record.digest)).body;
  }

  /** Deletes a tag (only the tag) or a manifest by digest (with its tags and referrers entry); MANIFEST_UNKNOWN when absent. */
  async delete(name: string, reference: Reference, actor?: string): Promise<void> {
    const { manifests, tags, referrers, events } = this.deps;
    const who = actor ? { actor } : {};
    if (reference.kind === 'tag') {
      const digest = await tags.resolve(name, reference.tag);
      if (!digest || !(await tags.delete(name, reference.tag))) throw OciErrors.MANIFEST_UNKNOWN(name, reference.tag);
      events.publish({ type: 'ArtifactDeleted', artifact: { format: 'oci', name, reference: reference.tag, digest }, ...who });
      return;
    }
    const record = await manifests.get(name, reference.text);
    if (!record) throw OciErrors.MANIFEST_UNKNOWN(name, reference.text);
    for (const tag of await tags.pointingAt(name, record.digest)) await tags.delete(name, tag);
    if (record.subject) await referrers.remove(name, record.subject, record.digest);
    await manifests.delete(name, record.digest);
    events.publish({ type: 'ArtifactDeleted', artifact: { format: 'oci', name, digest: record.digest }, ...who });
  }
}
