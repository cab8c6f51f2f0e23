// The OCI registry's domain services composed over one store and blob store: what the HTTP layer
// (src/server/oci) and operator commands call. Holds no state of its own beyond caches.
import type { BlobStore } from '../blobs/blob-store.js';
import type { EventBus } from '../events/bus.js';
import type { WriteGate } from '../formats/write-gate.js';
import type { ObjectStore } from '../storage/object-store.js';
import { BlobLinks } from './blob-links.js';
import { BlobService } from './blob-service.js';
import { Catalog } from './catalog.js';
import { OciErrors } from './errors.js';
import { ManifestService } from './manifest-service.js';
import { ManifestStore } from './manifest-store.js';
import { paginateNames, type Page } from './paginate.js';
import { Referrers } from './referrers.js';
import { RepoSummaries } from './repo-summary.js';
import { TagStore } from './tag-store.js';
import { UploadStore } from './upload-store.js';

/** The public surface of the blob and manifest services, which a decorator may re-implement. */
export type BlobApi = Pick<BlobService, keyof BlobService>;
export type ManifestApi = Pick<ManifestService, keyof ManifestService>;

/** The local services and stores a decorator (the pull-through cache) wraps. */
export interface LocalOci {
  store: ObjectStore;
  blobStore: BlobStore;
  blobs: BlobService;
  manifests: ManifestService;
  uploads: UploadStore;
  tags: TagStore;
  catalog: Catalog;
  /** Each repository's tags and manifests in one document (what listings read). */
  summaries: RepoSummaries;
}

export interface OciServices {
  blobs: BlobApi;
  manifests: ManifestApi;
  uploads: UploadStore;
}

export interface OciRegistryOptions {
  store: ObjectStore;
  blobs: BlobStore;
  events: EventBus;
  /** Idle time after which an upload session expires (ms). */
  uploadTtlMs: number;
  /** The clock upload expiry is measured with (default: the system clock). */
  now?: () => number;
  /** Tenant quotas and push limits (formats/write-gate.ts); admits everything when absent. */
  gate?: WriteGate | undefined;
  /** Replaces the services handlers call with decorators of the local ones (pull-through caching). */
  decorate?: ((local: LocalOci) => OciServices) | undefined;
}

export class OciRegistry {
  readonly blobs: BlobApi;
  readonly manifests: ManifestApi;
  readonly referrers: Referrers;
  readonly uploads: UploadStore;
  /** The undecorated services and stores (the format service's management operations use these). */
  readonly local: LocalOci;
  private readonly tags: TagStore;
  private readonly catalog: Catalog;

  constructor({ store, blobs, events, uploadTtlMs, now, decorate, gate }: OciRegistryOptions) {
    const links = new BlobLinks(store);
    const uploads = new UploadStore(store, uploadTtlMs, now);
    const summaries = new RepoSummaries(store, blobs);
    this.tags = new TagStore(store, summaries);
    this.catalog = new Catalog(store);
    this.referrers = new Referrers(store);
    const blobService = new BlobService(blobs, links, uploads, events, gate);
    const manifests = new ManifestService({
      manifests: new ManifestStore(store, blobs, links, summaries), tags: this.tags, referrers: this.referrers, catalog: this.catalog, blobs, events, summaries, gate,
    });
    const local = { store, blobStore: blobs, blobs: blobService, manifests, uploads, tags: this.tags, catalog: this.catalog, summaries };
    this.local = local;
    const services: OciServices = decorate ? decorate(local) : local;
    this.blobs = services.blobs;
    this.manifests = services.manifests;
    this.uploads = services.uploads;
  }

  /** One page of a repository's tags; NAME_UNKNOWN when the repository has never had a manifest. */
  async listTags(name: string, n?: number, last?: string): Promise<Page> {
    const tags = await this.tags.list(name);
    if (tags.length === 0 && !(await this.catalog.has(name))) throw OciErrors.NAME_UNKNOWN(name);
    return paginateNames(tags, n, last);
  }

  /** One page of repository names. */
  async listRepositories(n?: number, last?: string): Promise<Page> {
    return paginateNames(await this.catalog.names(), n, last);
  }
}
