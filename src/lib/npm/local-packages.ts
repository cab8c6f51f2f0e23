// Locally published packages over the storage port: one compare-and-swap document per package
// plus content-addressed tarball blobs (addressed by their sha512, so a blob is never visible
// unless it matches the integrity npm declared). Concurrent publishes of different versions of
// one package both land; a duplicate version loses with VERSION_EXISTS.
import type { Readable as ReadableStream } from 'node:stream';
import type { BlobStore } from '../blobs/blob-store.js';
import type { EventBus } from '../events/bus.js';
import type { ObjectInfo, ObjectStore } from '../storage/object-store.js';
import { listAll } from '../storage/object-store.js';
import { DELETE, readDocument, updateDocument, type VersionedDocument } from '../storage/documents.js';
import { NpmErrors } from './errors.js';
import { documentKey, emptyDocument, type PackageDocument } from './package-document.js';
import { addVersion, applyUpdate, checkRev, removeTag, removeTarball, setTag, withoutVersion, type UpdateResult } from './package-edits.js';
import { parsePackageName, type PackageName } from './package-name.js';
import type { PublishedVersion } from './publish-body.js';

export interface LocalPackagesOptions {
  store: ObjectStore;
  blobs: BlobStore;
  events: EventBus;
  now?: () => string;
  /** Called after every write of a package's document (cache invalidation). */
  onChange?: (name: PackageName) => void;
}

/** The tarball digest of `version`, if the document has its file. */
const digestOf = (doc: PackageDocument, version: string) => Object.values(doc.files).find((f) => f.version === version)?.digest;

const event = (name: PackageName, reference?: string, digest?: string) => ({ format: 'npm', name: name.full, ...(reference ? { reference } : {}), ...(digest ? { digest } : {}) });

export class LocalPackages {
  private readonly now: () => string;

  constructor(private readonly options: LocalPackagesOptions) {
    this.now = options.now ?? (() => new Date().toISOString());
  }

  private async write(name: PackageName, change: (current: PackageDocument | undefined) => PackageDocument | undefined | typeof DELETE): Promise<PackageDocument | undefined> {
    try {
      return await updateDocument<PackageDocument>(this.options.store, documentKey(name), change);
    } finally {
      this.options.onChange?.(name);
    }
  }

  /** The document's storage info (etag), undefined when the name is not published here. */
  stat(name: PackageName): Promise<ObjectInfo | undefined> {
    return this.options.store.stat(documentKey(name));
  }

  async read(name: PackageName): Promise<PackageDocument | undefined> {
    return (await this.readVersioned(name))?.value;
  }

  /** The document with its storage etag. */
  readVersioned(name: PackageName): Promise<VersionedDocument<PackageDocument> | undefined> {
    return readDocument<PackageDocument>(this.options.store, documentKey(name));
  }

  async require(name: PackageName): Promise<PackageDocument> {
    const doc = await this.read(name);
    if (!doc) throw NpmErrors.NOT_LOCAL(name.full);
    return doc;
  }

  /** Adds a verified version whose tarball is already stored as `published.digest`. */
  async publish(name: PackageName, published: PublishedVersion, actor?: string): Promise<PackageDocument> {
    const doc = await this.write(name, (current) => addVersion(current ?? emptyDocument(name, this.now()), published, published.digest, this.now()));
    this.options.events.publish({ type: 'ArtifactPushed', artifact: event(name, published.version, published.digest), size: published.size, ...(actor ? { actor } : {}) });
    for (const tag of Object.keys(published.distTags)) this.options.events.publish({ type: 'TagCreated', artifact: event(name, tag, published.digest), ...(actor ? { actor } : {}) });
    return doc!;
  }

  /** Deprecations and version unpublishes sent as an edited packument. */
  async update(name: PackageName, body: Record<string, unknown>, rev: string | undefined, actor?: string): Promise<PackageDocument> {
    let changes: Omit<UpdateResult, 'doc'> = { removed: [], deprecated: [], undeprecated: [] };
    const doc = await this.write(name, (current) => {
      if (!current) throw NpmErrors.NOT_LOCAL(name.full);
      checkRev(current, rev ?? (typeof body._rev === 'string' ? body._rev : undefined));
      const { doc: next, ...result } = applyUpdate(current, body, this.now());
      changes = result;
      return next;
    });
    const by = actor ? { actor } : {};
    for (const version of changes.removed) this.options.events.publish({ type: 'ArtifactDeleted', artifact: event(name, version), ...by });
    // One event per version whose deprecation changed (`npm deprecate pkg@"<2"` may touch several).
    for (const { version, message } of changes.deprecated) this.options.events.publish({ type: 'ArtifactDeprecated', artifact: event(name, version, digestOf(doc!, version)), detail: message, ...by });
    for (const version of changes.undeprecated) this.options.events.publish({ type: 'ArtifactUndeprecated', artifact: event(name, version, digestOf(doc!, version)), ...by });
    return doc!;
  }

  async setTag(name: PackageName, tag: string, version: unknown, actor?: string): Promise<PackageDocument> {
    const doc = await this.write(name, (current) => {
      if (!current) throw NpmErrors.NOT_LOCAL(name.full);
      return setTag(current, tag, version, this.now());
    });
    this.options.events.publish({ type: 'TagCreated', artifact: event(name, tag, digestOf(doc!, String(version))), ...(actor ? { actor } : {}) });
    return doc!;
  }

  /** Removes a dist-tag (never "latest"); BAD_TAG when the package has no such tag. */
  async removeTag(name: PackageName, tag: string, actor?: string): Promise<PackageDocument> {
    let target: string | undefined;
    const doc = await this.write(name, (current) => {
      if (!current) throw NpmErrors.NOT_LOCAL(name.full);
      target = current.packument['dist-tags'][tag];
      return removeTag(current, tag, this.now());
    });
    this.options.events.publish({ type: 'TagDeleted', artifact: event(name, tag, target ? digestOf(doc!, target) : undefined), ...(actor ? { actor } : {}) });
    return doc!;
  }

  /**
   * Removes one version (the whole document with its last); false when absent. Dist-tags naming
   * it go, and "latest" moves to the highest remaining version, so no tag is left dangling.
   */
  async deleteVersion(name: PackageName, version: string, actor?: string): Promise<boolean> {
    let digest: string | undefined;
    await this.write(name, (current) => {
      digest = undefined;
      if (!current?.packument.versions[version]) return undefined;
      digest = digestOf(current, version) ?? '';
      return withoutVersion(current, version, this.now());
    });
    if (digest === undefined) return false;
    this.options.events.publish({ type: 'ArtifactDeleted', artifact: event(name, version, digest || undefined), ...(actor ? { actor } : {}) });
    return true;
  }

  /** The last step of `npm unpublish pkg@v`: forget the tarball of an already removed version. */
  async deleteTarball(name: PackageName, file: string, rev: string): Promise<void> {
    await this.write(name, (current) => {
      if (!current) throw NpmErrors.NOT_LOCAL(name.full);
      checkRev(current, rev);
      return removeTarball(current, file);
    });
  }

  /** Unpublishes the whole package. Blobs stay until GC finds them unreferenced. */
  async deletePackage(name: PackageName, rev: string, actor?: string): Promise<void> {
    await this.write(name, (current) => {
      if (!current) throw NpmErrors.NOT_LOCAL(name.full);
      checkRev(current, rev);
      return DELETE;
    });
    this.options.events.publish({ type: 'ArtifactDeleted', artifact: event(name), ...(actor ? { actor } : {}) });
  }

  /** A tarball's bytes; TARBALL_NOT_FOUND when the file is not a published version's. */
  async openTarball(name: PackageName, doc: PackageDocument, file: string): Promise<{ size: number; body: ReadableStream }> {
    const entry = doc.files[file];
    if (!entry || !doc.packument.versions[entry.version]) throw NpmErrors.TARBALL_NOT_FOUND(name.full, file);
    const { info, body } = await this.options.blobs.open(entry.digest);
    return { size: info.size, body };
  }

  /** Every locally published package name. */
  async *names(): AsyncGenerator<PackageName> {
    for await (const info of listAll(this.options.store, 'repos/npm/')) {
      if (!info.key.endsWith('/package.json')) continue;
      const full = info.key.slice('repos/npm/'.length, -'/package.json'.length);
      try { yield parsePackageName(full); } catch { /* not a package document */ }
    }
  }
}
