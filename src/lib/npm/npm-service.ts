// npm behind the format service contract (formats/format-service.ts): locally published
// packages only (upstream packuments are a cache, not artifacts). Versions are the listing's
// entries, each with the dist-tags naming it; tags move with `tag`/`untag` (never "latest"
// away, never to a missing version), and deleting a version moves the tags that named it.
import type { DocumentFilter } from '../blobs/digest-scan.js';
import { isNoraError } from '../errors/nora-error.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { EventBus } from '../events/bus.js';
import { cachedPackages, evictPackage } from './cache-eviction.js';
import type { ArtifactDetail, CachedItem, FormatService, ListNamesOptions, MutationContext, NamePage, Usage, VersionInfo } from '../formats/format-service.js';
import { pageNames } from '../formats/page-names.js';
import { combine, type PullRecord, type PullTracker } from '../pulls/pull-tracker.js';
import { referencedBlobs } from './gc-references.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { NpmApi } from './npm-registry.js';
import type { PackageDocument } from './package-document.js';
import { parsePackageName, type PackageName } from './package-name.js';

/** The name, or undefined when it is not a valid npm name (nothing is stored under it). */
function nameOf(text: string): PackageName | undefined {
  try {
    return parsePackageName(text);
  } catch {
    return undefined;
  }
}

function versionInfo(doc: PackageDocument, version: string, pulls: PullRecord): VersionInfo | undefined {
  const [file, entry] = Object.entries(doc.files).find(([, f]) => f.version === version) ?? [];
  if (!file || !entry || !doc.packument.versions[version]) return undefined;
  const time = doc.packument.time[version];
  const tags = Object.entries(doc.packument['dist-tags']).filter(([, v]) => v === version).map(([t]) => t);
  return {
    name: doc.packument.name, version, digest: entry.digest, size: entry.size, pushed: typeof time === 'string' ? time : '',
    ...combine(pulls, [file]), tags,
  };
}

/** What cache eviction needs: the blob store (tarball sizes), the bus, the upstream's name. */
export interface NpmCacheDeps { blobs: BlobStore; events: EventBus; upstream: string }

export class NpmService implements FormatService {
  readonly format = 'npm' as const;

  /** `registry` is what the protocol uses (pull-through decorated); management works on its local packages. */
  constructor(readonly registry: NpmApi, private readonly store: ObjectStore, private readonly pulls: PullTracker, private readonly cache?: NpmCacheDeps) {}

  /** Packages whose packument is cached from the upstream (none without an upstream). */
  async *listCached(): AsyncGenerator<CachedItem> {
    if (this.cache) yield* cachedPackages({ store: this.store, blobs: this.cache.blobs, pulls: this.pulls }, this.cache.upstream);
  }

  evictCached(item: CachedItem, context: MutationContext = {}): Promise<boolean> {
    return this.cache ? evictPackage({ store: this.store, events: this.cache.events }, item, context.actor) : Promise.resolve(false);
  }

  accessName(name: string): string {
    return name;
  }

  async listNames(options: ListNamesOptions = {}): Promise<NamePage> {
    const names: string[] = [];
    for await (const name of this.registry.local.names()) names.push(name.full);
    return pageNames(names, options);
  }

  async listVersions(name: string): Promise<VersionInfo[]> {
    const parsed = nameOf(name);
    const doc = parsed && (await this.registry.local.read(parsed));
    if (!doc) return [];
    const pulls = await this.pulls.read('npm', doc.packument.name);
    return Object.keys(doc.packument.versions).flatMap((v) => versionInfo(doc, v, pulls) ?? []);
  }

  /** A version or a dist-tag. */
  async read(name: string, reference: string): Promise<ArtifactDetail | undefined> {
    const parsed = nameOf(name);
    const doc = parsed && (await this.registry.local.read(parsed));
    if (!doc) return undefined;
    const version = doc.packument.versions[reference] ? reference : doc.packument['dist-tags'][reference];
    const info = version && versionInfo(doc, version, await this.pulls.read('npm', doc.packument.name));
    if (!info) return undefined;
    return { ...info, blobs: [{ digest: info.digest, size: info.size }], metadata: doc.packument.versions[version]! };
  }

  async delete(name: string, reference: string, context: MutationContext = {}): Promise<boolean> {
    const parsed = nameOf(name);
    return parsed ? this.registry.local.deleteVersion(parsed, reference, context.actor) : false;
  }

  /** npm tags stay inside one package: `source.reference` is a version or a tag of `target.name`. */
  async tag(source: { name: string; reference: string }, target: { name: string; tag: string }, context: MutationContext = {}): Promise<{ digest: string } | undefined> {
    if (source.name !== target.name) return undefined;
    const found = await this.read(source.name, source.reference);
    if (!found) return undefined;
    await this.registry.local.setTag(parsePackageName(target.name), target.tag, found.version, context.actor);
    return { digest: found.digest };
  }

  async untag(name: string, tag: string, context: MutationContext = {}): Promise<boolean> {
    const parsed = nameOf(name);
    const doc = parsed && (await this.registry.local.read(parsed));
    if (!parsed || !doc || !(tag in doc.packument['dist-tags'])) return false;
    try {
      await this.registry.local.removeTag(parsed, tag, context.actor);
      return true;
    } catch (error) {
      // Removed meanwhile by someone else: absent now.
      if (isNoraError(error) && error.code === 'NPM_BAD_TAG' && tag !== 'latest') return false;
      throw error;
    }
  }

  referencedBlobs(filter: DocumentFilter = {}): AsyncIterable<string> {
    return referencedBlobs(this.store, filter);
  }

  async usage(): Promise<Usage> {
    const digests = new Map<string, number>();
    let names = 0;
    let versions = 0;
    for await (const name of this.registry.local.names()) {
      const doc = await this.registry.local.read(name);
      if (!doc) continue;
      names++;
      for (const file of Object.values(doc.files)) {
        if (!doc.packument.versions[file.version]) continue;
        versions++;
        digests.set(file.digest, file.size);
      }
    }
    return { bytes: [...digests.values()].reduce((a, b) => a + b, 0), names, versions };
  }
}
