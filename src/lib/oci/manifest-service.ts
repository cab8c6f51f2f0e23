// Manifest operations of the OCI API: push by tag or digest, resolve, delete by tag (the tag
// only) or by digest (the manifest, its tags and its referrers entry), with the domain events.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests
import { createHash } from 'node:crypto';
import { admitted, type WriteGate } from '../formats/write-gate.js';
import { ImageSizes } from './image-size.js';
import { collect } from '../storage/body.js';
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

const unknown = (name: string, reference: Reference) => OciErrors.MANIFEST_UNKNOWN(name, reference.kind === 'tag' ? reference.tag : reference.text);

/** Tags whose last digest is kept as a hint for the next pull (bounded: tag names come from the network). */
const TAG_HINTS = 1024;

/** `promise`, its rejection marked handled: a read started early may be dropped unread. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

export class ManifestService {
  private readonly sizes: ImageSizes;
  /** The digest each tag named when last resolved here: only a hint, checked against every tag read. */
  private readonly tagHints = new Map<string, string>();

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
    const { record } = await this.readNamed(name, reference, (digest) => ({ record: quiet(this.deps.manifests.get(name, digest)) }));
    const found = await record;
    if (!found) throw unknown(name, reference);
    return found;
  }

  /**
   * resolve() with the manifest's bytes (a GET). The record and the bytes are read side by side,
   * and beside the tag when the tag named the same digest at its last pull here: a pull then waits
   * for one store read instead of three. What was read early is kept only if the tag read says
   * the tag still names that digest; the bytes are returned only with this repository's record.
   */
  async get(name: string, reference: Reference): Promise<{ record: ManifestRecord; bytes: Buffer }> {
    const { record, bytes } = await this.readNamed(name, reference, (digest) => ({ record: quiet(this.deps.manifests.get(name, digest)), bytes: quiet(this.bytesOf(digest)) }));
    const found = await record;
    if (!found) throw unknown(name, reference);
    return { record: found, bytes: await bytes };
  }

  /**
   * The reads `read` starts for the digest `reference` names (MANIFEST_UNKNOWN when a tag names
   * none). When the tag's hint names a digest, they start beside the tag read and are kept only if
   * the tag still names that digest; otherwise they start once the tag is read.
   */
  private async readNamed<T>(name: string, reference: Reference, read: (digest: string) => T): Promise<T> {
    const hinted = this.hintOf(name, reference);
    const early = hinted === undefined ? undefined : read(hinted);
    const digest = await this.digestOf(name, reference);
    if (!digest) throw unknown(name, reference);
    return digest === hinted ? early! : read(digest);
  }

  /** The digest `reference` (a tag) named when last resolved here. */
  private hintOf(name: string, reference: Reference): string | undefined {
    return reference.kind === 'tag' ? this.tagHints.get(`${name}:${reference.tag}`) : undefined;
  }

  /** The manifest's exact bytes. */
  async read(record: ManifestRecord): Promise<Buffer> {
    return this.bytesOf(record.digest);
  }

  private async digestOf(name: string, reference: Reference): Promise<string | undefined> {
    if (reference.kind === 'digest') return reference.text;
    const digest = await this.deps.tags.resolve(name, reference.tag);
    const key = `${name}:${reference.tag}`;
    this.tagHints.delete(key);
    if (digest === undefined) return undefined;
    this.tagHints.set(key, digest);
    // The oldest first: past the bound, the least recently pulled tag goes.
    if (this.tagHints.size > TAG_HINTS) this.tagHints.delete(this.tagHints.keys().next().value!);
    return digest;
  }

  /** Read whole (a manifest is at most docker.manifest_max_size), to be sent as one buffer. */
  private async bytesOf(digest: string): Promise<Buffer> {
    return collect((await this.deps.blobs.open(digest)).body);
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
