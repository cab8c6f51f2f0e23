// Cargo behind the format service contract (formats/format-service.ts), and the one entry the
// cargo plugin, the management API and ops use; built once by the composition root. Names are
// crates.io's: the API, listings and deletes find a crate up to case, - and _; an index file
// path only up to case (cargo derives it from the exact name). Every mutation publishes one
// event: ArtifactPushed (publish), ArtifactYanked / ArtifactUnyanked (a flag on the index line;
// the .crate stays downloadable), ArtifactDeleted (an admin delete: the line leaves the index,
// the last version takes the name), OwnersChanged. A request that changes nothing publishes
// nothing. The crates.io cache (`upstream`) holds no local artifacts: it is neither listed nor
// counted, only its cached index files keep their .crate blobs alive for gc.
import { crateInfo, type CrateInfo } from './crate-info.js';
import type { WriteGate } from '../formats/write-gate.js';
import { weighVersions } from '../formats/weigh-versions.js';
import { createHash } from 'node:crypto';
import type { BlobStore } from '../blobs/blob-store.js';
import { digestsInDocuments, type DocumentFilter } from '../blobs/digest-scan.js';
import type { NoraConfig } from '../config/schema.js';
import { isNoraError } from '../errors/nora-error.js';
import type { DomainEvent, EventBus } from '../events/bus.js';
import type { ArtifactDetail, CachedItem, FormatService, ListNamesOptions, MutationContext, NamePage, NameWeight, Usage, VersionInfo } from '../formats/format-service.js';
import { pageNames } from '../formats/page-names.js';
import { combine, type PullRecord, type PullTracker } from '../pulls/pull-tracker.js';
import type { ObjectStore } from '../storage/object-store.js';
import { allCrates, findCrate, readCrate, type CrateDocument, type StoredVersion } from './crate-document.js';
import { deleteVersion } from './delete-version.js';
import { openLocalCrate, type CrateDownload } from './download.js';
import { renderIndexFile, renderIndexLine } from './index-line.js';
import { changeOwners, listOwners, type OwnerUser } from './owners.js';
import { publishCrate, type PublishInput } from './publish.js';
import { searchCrates, type SearchResult } from './search.js';
import type { UpstreamMetrics } from '../upstream/metrics.js';
import { CratesIoCache } from './upstream/crates-io.js';
import { cachedCrates, evictCrate } from './upstream/cache-eviction.js';
import { setYanked } from './yank.js';

export interface CargoServiceOptions {
  store: ObjectStore;
  blobs: BlobStore;
  events: EventBus;
  pulls: PullTracker;
  config: NoraConfig['cargo'];
  /** Where the crates.io cache counts its upstream requests. */
  upstreamMetrics?: UpstreamMetrics | undefined;
  /** Tenant quotas and push limits, asked before a publish is stored. */
  gate?: WriteGate | undefined;
}

/** A local index file as served: its body, a validator and when it last changed. */
export interface IndexFile {
  body: string;
  etag: string;
  updated: Date;
}

const digestOf = (v: StoredVersion) => `sha256:${v.cksum}`;

function versionInfo(doc: CrateDocument, v: StoredVersion, pulls: PullRecord): VersionInfo {
  return { name: doc.name, version: v.vers, digest: digestOf(v), size: v.size, pushed: v.published_at, ...combine(pulls, [v.vers]), yanked: v.yanked };
}

export class CargoService implements FormatService {
  readonly format = 'cargo' as const;
  /** The crates.io cache, when [[cargo.upstreams]] names one. */
  readonly upstream?: CratesIoCache;
  private readonly store: ObjectStore;

  constructor(private readonly options: CargoServiceOptions) {
    this.store = options.store;
    const upstream = options.config.upstreams[0];
    if (upstream) this.upstream = new CratesIoCache(options, upstream, options.upstreamMetrics);
  }

  accessName(name: string): string {
    return name;
  }

  async listNames(options: ListNamesOptions = {}): Promise<NamePage> {
    const names: string[] = [];
    for await (const doc of allCrates(this.store)) names.push(doc.name);
    return pageNames(names, options);
  }

  /** In publish order; [] for an unknown crate. */
  async listVersions(name: string): Promise<VersionInfo[]> {
    const doc = await readCrate(this.store, name);
    if (!doc) return [];
    const pulls = await this.options.pulls.read('cargo', doc.name);
    return doc.versions.map((v) => versionInfo(doc, v, pulls));
  }

  /** A version; its metadata is its index line (plus the description). */
  async read(name: string, reference: string): Promise<ArtifactDetail | undefined> {
    const doc = await readCrate(this.store, name);
    const entry = doc?.versions.find((v) => v.vers === reference);
    if (!doc || !entry) return undefined;
    const info = versionInfo(doc, entry, await this.options.pulls.read('cargo', doc.name));
    const metadata = { ...(JSON.parse(renderIndexLine(doc.name, entry)) as Record<string, unknown>), description: entry.description };
    return { ...info, blobs: [{ digest: info.digest, size: info.size }], metadata };
  }

  /** An admin delete (not a yank): see delete-version.ts. */
  async delete(name: string, reference: string, context: MutationContext = {}): Promise<boolean> {
    const deleted = await deleteVersion(this.store, name, reference);
    if (!deleted) return false;
    this.publish('ArtifactDeleted', deleted.name, context, deleted.version);
    return true;
  }

  /** The contract's yank: false when the crate or version is absent. */
  async yank(name: string, version: string, yanked: boolean, context: MutationContext = {}): Promise<boolean> {
    try {
      await this.setYanked(name, version, yanked, context);
      return true;
    } catch (error) {
      if (isNoraError(error) && (error.code === 'CRATE_NOT_FOUND' || error.code === 'VERSION_NOT_FOUND')) return false;
      throw error;
    }
  }

  /** `cargo yank [--undo]`: CRATE_NOT_FOUND / VERSION_NOT_FOUND when absent; idempotent. */
  async setYanked(name: string, version: string, yanked: boolean, context: MutationContext = {}): Promise<void> {
    const result = await setYanked(this.store, name, version, yanked);
    if (result.changed) this.publish(yanked ? 'ArtifactYanked' : 'ArtifactUnyanked', result.name, context, result.version);
  }

  /** `cargo publish` (already authorized); resolves once the index line is visible. */
  async publishCrate(input: PublishInput): Promise<void> {
    const published = await publishCrate(this.options, input);
    this.options.events.publish({
      type: 'ArtifactPushed', artifact: { format: 'cargo', name: published.name, reference: published.version, digest: published.digest },
      size: published.size, actor: input.actor,
    });
  }

  /** The crate and its versions as GET /api/v1/crates/<name> answers them (crate-info.ts); undefined when unknown. */
  async info(name: string): Promise<CrateInfo | undefined> {
    const doc = await readCrate(this.store, name);
    return doc && crateInfo(doc);
  }

  /** The spelling of the first publish of the crate `name` (up to case, - and _), or undefined. */
  async canonicalName(name: string): Promise<string | undefined> {
    return (await readCrate(this.store, name))?.name;
  }

  /** A local .crate; the caller records the pull. */
  open(name: string, version: string): Promise<CrateDownload> {
    return openLocalCrate(this.options, name, version);
  }

  /** The index file of `name` (up to case), or undefined. */
  async indexFile(name: string): Promise<IndexFile | undefined> {
    const doc = await findCrate(this.store, name);
    if (!doc) return undefined;
    const body = renderIndexFile(doc.name, doc.versions);
    return { body, etag: createHash('sha256').update(body).digest('hex').slice(0, 40), updated: new Date(doc.updated) };
  }

  owners(name: string): Promise<OwnerUser[]> {
    return listOwners(this.store, name);
  }

  /** `cargo owner --add/--remove`; returns the canonical name. OWNER_LAST when none would remain. */
  async changeOwners(name: string, logins: string[], change: 'add' | 'remove', context: MutationContext = {}): Promise<string> {
    const result = await changeOwners(this.store, name, logins, change);
    if (result.changed.length > 0) this.publish('OwnersChanged', result.name, context, undefined, `${change === 'add' ? 'added' : 'removed'} ${result.changed.join(', ')}`);
    return result.name;
  }

  search(query: string, perPage: number, visible?: (name: string) => Promise<boolean>): Promise<SearchResult> {
    return searchCrates(this.store, query, perPage, visible);
  }

  /** Every .crate named by a local crate document or a cached crates.io index file (cksum = sha256). */
  referencedBlobs(filter: DocumentFilter = {}): AsyncIterable<string> {
    return digestsInDocuments(this.store, 'repos/cargo/', { ...filter, bareSha256: true });
  }

  /** Crates whose index file the crates.io cache holds (none without an upstream). */
  async *listCached(): AsyncGenerator<CachedItem> {
    const upstream = this.options.config.upstreams[0];
    if (this.upstream && upstream) yield* cachedCrates({ ...this.options, upstream: upstream.name || new URL(upstream.url.replace(/^sparse\+/, '')).host });
  }

  evictCached(item: CachedItem, context: MutationContext = {}): Promise<boolean> {
    return evictCrate(this.options, item, context.actor);
  }

  weigh(name: string): Promise<NameWeight> {
    return weighVersions(this, name);
  }

  async usage(): Promise<Usage> {
    const digests = new Map<string, number>();
    let names = 0;
    let versions = 0;
    for await (const doc of allCrates(this.store)) {
      names++;
      versions += doc.versions.length;
      for (const v of doc.versions) digests.set(v.cksum, v.size);
    }
    return { bytes: [...digests.values()].reduce((a, b) => a + b, 0), names, versions };
  }

  async close(): Promise<void> {
    await this.upstream?.close();
  }

  private publish(type: DomainEvent['type'], name: string, context: MutationContext, version?: StoredVersion, detail?: string): void {
    this.options.events.publish({
      type, artifact: { format: 'cargo', name, ...(version ? { reference: version.vers, digest: digestOf(version) } : {}) },
      ...(context.actor ? { actor: context.actor } : {}), ...(detail ? { detail } : {}),
    });
  }
}
