// The OCI registry's domain services composed over one store and blob store: what the HTTP layer
// (src/server/oci) and operator commands call. Holds no state of its own beyond caches.
import type { BlobStore } from '../blobs/blob-store.js';
import type { EventBus } from '../events/bus.js';
import type { ObjectStore } from '../storage/object-store.js';
import { BlobLinks } from './blob-links.js';
import { BlobService } from './blob-service.js';
import { Catalog } from './catalog.js';
import { OciErrors } from './errors.js';
import { ManifestService } from './manifest-service.js';
import { ManifestStore } from './manifest-store.js';
import { paginateNames, type Page } from './paginate.js';
import { Referrers } from './referrers.js';
import { TagStore } from './tag-store.js';
import { UploadStore } from './upload-store.js';

export interface OciRegistryOptions {
  store: ObjectStore;
  blobs: BlobStore;
  events: EventBus;
  /** Idle time after which an upload session expires (ms). */
  uploadTtlMs: number;
}

export class OciRegistry {
  readonly blobs: BlobService;
  readonly manifests: ManifestService;
  readonly referrers: Referrers;
  readonly uploads: UploadStore;
  private readonly tags: TagStore;
  private readonly catalog: Catalog;

  constructor({ store, blobs, events, uploadTtlMs }: OciRegistryOptions) {
    const links = new BlobLinks(store);
    this.uploads = new UploadStore(store, uploadTtlMs);
    this.tags = new TagStore(store);
    this.catalog = new Catalog(store);
    this.referrers = new Referrers(store);
    this.blobs = new BlobService(blobs, links, this.uploads, events);
    this.manifests = new ManifestService({
      manifests: new ManifestStore(store, blobs, links), tags: this.tags, referrers: this.referrers, catalog: this.catalog, blobs, events,
    });
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
