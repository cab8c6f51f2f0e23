// The crates.io cache as one service: index files through UpstreamIndex, and .crate downloads
// fetched once (single-flight), verified against the index line's `cksum` and stored as
// ordinary blobs; a mismatch is refused and nothing is stored. Local crates are never consulted.
import type { Readable } from 'node:stream';
import type { NoraConfig } from '../../config/schema.js';
import type { ObjectInfo } from '../../storage/object-store.js';
import { isNoraError } from '../../errors/nora-error.js';
import { expandDl } from '../dl-template.js';
import { CargoErrors } from '../errors.js';
import type { CargoStores } from '../publish.js';
import { readLimited } from '../../streams/read-limited.js';
import { drain, UpstreamHttp } from './http.js';
import { findCksum, UpstreamIndex, type CachedIndexFile } from './index-cache.js';
import { SingleFlight } from './single-flight.js';

const MAX_UPSTREAM_CRATE = 1024 * 1024 * 1024;

export class CratesIoCache {
  private readonly http: UpstreamHttp;
  private readonly index: UpstreamIndex;
  private readonly downloads = new SingleFlight<void>();
  private dlTemplate: string | undefined;

  constructor(private readonly stores: CargoStores, config: NoraConfig['cargo']) {
    this.http = new UpstreamHttp(config.upstream_timeout);
    const root = config.upstream_index.replace(/^sparse\+/, '').replace(/\/*$/, '/');
    this.index = new UpstreamIndex(stores.store, this.http, root, config.upstream_ttl);
    this.dlTemplate = config.upstream_dl || undefined;
  }

  /** The upstream index file of `name`; undefined when the upstream has no such crate. */
  indexFile(name: string): Promise<CachedIndexFile | undefined> {
    return this.index.get(name);
  }

  /** Opens the cached .crate, fetching and verifying it first when needed; the caller records the pull. */
  async openCrate(name: string, version: string): Promise<{ digest: string; info: ObjectInfo; body: Readable }> {
    const file = await this.index.get(name);
    if (!file) throw CargoErrors.CRATE_NOT_FOUND(name);
    const cksum = findCksum(file.body, version);
    if (!cksum) throw CargoErrors.VERSION_NOT_FOUND(name, version);
    const digest = `sha256:${cksum}`;
    if (!(await this.stores.blobs.exists(digest))) await this.downloads.run(digest, () => this.fetchCrate(name, version, cksum));
    return { digest, ...(await this.stores.blobs.open(digest)) };
  }

  private async fetchCrate(name: string, version: string, cksum: string): Promise<void> {
    const url = expandDl(await this.template(), name, version, cksum);
    const response = await this.http.get(url);
    if (response.status !== 200) {
      await drain(response.body);
      throw CargoErrors.UPSTREAM_UNAVAILABLE(url, `status ${response.status}`);
    }
    try {
      await this.stores.blobs.write(response.body, { expected: { algorithm: 'sha256', hex: cksum }, maxSize: MAX_UPSTREAM_CRATE, label: 'upstream .crate' });
    } catch (error) {
      if (isNoraError(error) && error.code === 'DIGEST_MISMATCH') {
        throw CargoErrors.UPSTREAM_CHECKSUM(name, version, cksum, (typeof error.detail?.actual === 'string' ? error.detail.actual : '?').replace(/^sha256:/, ''));
      }
      // The upstream stopped sending mid-way: nothing was stored; say so instead of a 500.
      if (!isNoraError(error)) throw CargoErrors.UPSTREAM_UNAVAILABLE(url, (error as Error).message);
      throw error;
    }
  }

  /** [cargo] upstream_dl, or the `dl` of the upstream's own config.json when that is empty. */
  private async template(): Promise<string> {
    if (this.dlTemplate) return this.dlTemplate;
    const url = `${this.index.indexUrl}config.json`;
    const response = await this.http.get(url);
    if (response.status !== 200) {
      await drain(response.body);
      throw CargoErrors.UPSTREAM_UNAVAILABLE(url, `status ${response.status}`);
    }
    let config: { dl?: unknown };
    try {
      config = JSON.parse((await readLimited(response.body, 64 * 1024, 'upstream config.json')).toString('utf8')) as { dl?: unknown };
    } catch {
      throw CargoErrors.UPSTREAM_UNAVAILABLE(url, 'config.json is not JSON');
    }
    if (typeof config?.dl !== 'string') throw CargoErrors.UPSTREAM_UNAVAILABLE(url, 'config.json has no "dl"');
    this.dlTemplate = config.dl;
    return config.dl;
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}
