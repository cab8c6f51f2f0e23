// OCI behind the format service contract (formats/format-service.ts): repositories are names,
// tags are versions. Management operations use the local (undecorated) services, so listing or
// deleting never reaches an upstream; the protocol uses `registry`, which pull-through decorates.
import { isNoraError } from '../errors/nora-error.js';
import { readLimited } from '../streams/read-limited.js';
import type { Descriptor } from './manifest.js';
import type { EventBus } from '../events/bus.js';
import type { PullTracker } from '../pulls/pull-tracker.js';
import { combine } from '../pulls/pull-tracker.js';
import type { DocumentFilter } from '../blobs/digest-scan.js';
import type { ArtifactDetail, CachedItem, FormatService, GcPreparation, ListNamesOptions, ManifestListing, MutationContext, NamePage, Usage, VersionInfo } from '../formats/format-service.js';
import { listManifests } from './manifest-listing.js';
import { cachedManifests, evictManifest } from './cached-content.js';
import { pageNames } from '../formats/page-names.js';
import { referencedBlobs, staleLinks } from './gc-references.js';
import { ImageSizes } from './image-size.js';
import { layout } from './layout.js';
import { isValidName, parseReference, type Reference } from './names.js';
import type { OciRegistry } from './registry.js';
import { retag } from './retag.js';
import { UploadStore } from './upload-store.js';
import { ociUsage } from './usage.js';

/** A reference, or undefined when malformed (a management lookup of it finds nothing). */
function referenceOf(text: string): Reference | undefined {
  try {
    return parseReference(text);
  } catch {
    return undefined;
  }
}

const CONFIG_LIMIT = 1024 * 1024;

export class OciService implements FormatService {
  readonly format = 'oci' as const;
  private readonly sizes: ImageSizes;

  constructor(readonly registry: OciRegistry, private readonly events: EventBus, private readonly pulls: PullTracker) {
    this.sizes = new ImageSizes(registry.local.blobStore);
  }

  accessName(name: string): string {
    return name;
  }

  async listNames(options: ListNamesOptions = {}): Promise<NamePage> {
    return pageNames(await this.registry.local.catalog.names(), options);
  }

  async listVersions(name: string): Promise<VersionInfo[]> {
    if (!isValidName(name)) return [];
    const [entries, pulls] = await Promise.all([this.registry.local.tags.entries(name), this.pulls.read('oci', name)]);
    const version = async (entry: (typeof entries)[number]): Promise<VersionInfo | undefined> => {
      const record = await this.registry.local.manifests.resolve(name, parseReference(entry.digest)).catch(() => undefined);
      if (!record) return undefined;
      const parts = await this.sizes.of(record.digest, record.size);
      return {
        name, version: entry.tag, digest: record.digest, size: parts.size, pushed: entry.pushed,
        ...combine(pulls, [entry.tag, record.digest]), ...(parts.platforms ? { platforms: parts.platforms } : {}),
      };
    };
    const out: VersionInfo[] = [];
    // A few tags at a time, in tag order.
    for (let i = 0; i < entries.length; i += 16) {
      for (const info of await Promise.all(entries.slice(i, i + 16).map(version))) if (info) out.push(info);
    }
    return out;
  }

  async listManifests(name: string): Promise<ManifestListing[]> {
    if (!isValidName(name)) return [];
    return listManifests(this.registry.local, this.sizes, name, await this.pulls.read('oci', name));
  }

  listCached(): AsyncIterable<CachedItem> {
    return cachedManifests(this.registry.local, this.sizes, this.pulls);
  }

  evictCached(item: CachedItem, context: MutationContext = {}): Promise<boolean> {
    return evictManifest(this.registry.local, item, context.actor);
  }

  async read(name: string, reference: string): Promise<ArtifactDetail | undefined> {
    const ref = referenceOf(reference);
    if (!ref || !isValidName(name)) return undefined;
    const { local } = this.registry;
    const record = await local.manifests.resolve(name, ref).catch((error: unknown) => {
      if (isNoraError(error) && error.code === 'MANIFEST_UNKNOWN') return undefined;
      throw error;
    });
    if (!record) return undefined;
    const [parts, pulls, info, tagged] = await Promise.all([
      this.sizes.of(record.digest, record.size), this.pulls.read('oci', name),
      local.store.stat(layout.manifest(name, record.digest)), ref.kind === 'tag' ? local.tags.entries(name) : Promise.resolve([]),
    ]);
    const pushed = tagged.find((t) => ref.kind === 'tag' && t.tag === ref.tag)?.pushed ?? info?.modified.toISOString() ?? '';
    return {
      name, version: reference, digest: record.digest, size: parts.size, pushed,
      ...combine(pulls, ref.kind === 'tag' ? [ref.tag, record.digest] : [record.digest]),
      ...(parts.platforms ? { platforms: parts.platforms } : {}),
      blobs: parts.blobs, metadata: parts.manifest ?? {},
    };
  }

  /** The manifests whose subject is `digest` in `name` (signatures, SBOMs); [] when none. */
  async referrers(name: string, digest: string): Promise<Descriptor[]> {
    if (!isValidName(name) || referenceOf(digest)?.kind !== 'digest') return [];
    return (await this.registry.referrers.index(name, digest)).manifests;
  }

  /** The config JSON (created, labels, entrypoint) a manifest of `name` names; undefined when absent, unreadable or over 1 MiB. */
  async imageConfig(name: string, digest: string): Promise<Record<string, unknown> | undefined> {
    if (!isValidName(name) || referenceOf(digest)?.kind !== 'digest') return undefined;
    const opened = await this.registry.local.blobStore.open(digest).catch(() => undefined);
    if (!opened || opened.info.size > CONFIG_LIMIT) {
      opened?.body.destroy();
      return undefined;
    }
    try {
      const parsed: unknown = JSON.parse((await readLimited(opened.body, CONFIG_LIMIT, 'image config')).toString('utf8'));
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }

  /** A tag (only the tag: ArtifactDeleted naming it) or a digest (the manifest with its tags). */
  async delete(name: string, reference: string, context: MutationContext = {}): Promise<boolean> {
    const ref = referenceOf(reference);
    if (!ref || !isValidName(name)) return false;
    try {
      await this.registry.local.manifests.delete(name, ref, context.actor);
      return true;
    } catch (error) {
      if (isNoraError(error) && error.code === 'MANIFEST_UNKNOWN') return false;
      throw error;
    }
  }

  async tag(source: { name: string; reference: string }, target: { name: string; tag: string }, context: MutationContext = {}): Promise<{ digest: string } | undefined> {
    const digest = await retag(this.registry.local, this.events, source, target, context);
    return digest ? { digest } : undefined;
  }

  async untag(name: string, tag: string, context: MutationContext = {}): Promise<boolean> {
    return referenceOf(tag)?.kind === 'tag' ? this.delete(name, tag, context) : false;
  }

  referencedBlobs(filter: DocumentFilter = {}): AsyncIterable<string> {
    return referencedBlobs(this.registry.local.store, filter);
  }

  /** Expires upload sessions and unlinks blobs no manifest of their repository uses (one ArtifactDeleted each). */
  async prepareGc(options: { cutoff: Date; uploadTtlMs: number; dryRun: boolean; now?: number }): Promise<GcPreparation> {
    const { store } = this.registry.local;
    const uploadsRemoved = options.dryRun ? 0 : await new UploadStore(store, options.uploadTtlMs).sweep(options.now);
    const stale = await staleLinks(store, options.cutoff);
    if (!options.dryRun) {
      for (const link of stale) {
        if (await store.delete(link.key)) this.events.publish({ type: 'ArtifactDeleted', artifact: { format: 'oci', name: link.repo, digest: link.digest }, actor: 'gc' });
      }
    }
    return { uploadsRemoved, linksRemoved: stale.length, skipKeys: new Set(stale.map((l) => l.key)) };
  }

  isTransientKey(key: string): boolean {
    return layout.isUploadKey(key);
  }

  usage(): Promise<Usage> {
    return ociUsage(this.registry.local);
  }
}
