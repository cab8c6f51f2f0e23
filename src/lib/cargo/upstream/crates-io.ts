// The crates.io cache as one service: index files through UpstreamIndex, and .crate downloads
// fetched once (the upstream kit's single-flight downloads), verified against the index line's
// `cksum` while they are stored as ordinary blobs; a mismatch is refused and nothing is stored.
// Local crates are never consulted: it is a registry of its own at /cargo/crates-io/.
//
// Why it is not a decorator of CargoService, as the other formats' pull-through is of theirs:
// in a Cargo index a dependency without `registry` means "this same registry". Served through the
// local registry's index, every crates.io crate's dependencies would resolve against NORA's local
// crates first, so a local crate named like any crates.io crate (serde, libc) would be pulled
// into every build that depends on crates.io: dependency confusion by construction. Cargo's own
// answer is source replacement (`[source.crates-io] replace-with = ...`), which needs a second,
// separate index with exactly crates.io's names. So this stays a registry of its own, built
// from the same upstream kit (client, single-flight downloads, verify-while-streaming, errors,
// cache metrics) as every decorator.
import type { Readable } from 'node:stream';
import type { NoraConfig } from '../../config/schema.js';
import { isNoraError } from '../../errors/nora-error.js';
import type { ObjectInfo } from '../../storage/object-store.js';
import { UpstreamClient } from '../../upstream/client.js';
import { Downloads, type DownloadPlan } from '../../upstream/downloads.js';
import { phrased, UpstreamErrors } from '../../upstream/errors.js';
import type { CacheMeter, UpstreamMetrics } from '../../upstream/metrics.js';
import { expandDl } from '../dl-template.js';
import { CargoErrors } from '../errors.js';
import type { CargoStores } from '../publish.js';
import { findCksum, UpstreamIndex, type CachedIndexFile } from './index-cache.js';

const MAX_UPSTREAM_CRATE = 1024 * 1024 * 1024;

/** A .crate whose bytes do not hash to its index line's cksum (cargo prints this sentence). */
const upstreamChecksum = phrased(UpstreamErrors.INTEGRITY,
  (upstream: string, name: string, version: string, expected: string, actual: string) => `upstream .crate for \`${name}@${version}\` has sha256 ${actual}, but the index says ${expected}; refused`,
  (upstream: string, name: string, version: string, expected: string, actual: string) => ({ upstream, crate: name, version, expected, actual }));

export class CratesIoCache {
  private readonly client: UpstreamClient;
  private readonly index: UpstreamIndex;
  private readonly downloads = new Downloads();
  private dlTemplate: string | undefined;
  private readonly cache: CacheMeter | undefined;

  constructor(private readonly stores: CargoStores, upstream: NoraConfig['cargo']['upstreams'][number], metrics?: UpstreamMetrics) {
    this.client = new UpstreamClient(upstream, { metrics });
    this.cache = metrics?.cache('cargo');
    this.index = new UpstreamIndex(stores.store, this.client, `${this.client.base}/`, upstream.metadata_ttl, Date.now, this.cache);
    this.dlTemplate = upstream.dl || undefined;
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
    const cached = await this.stores.blobs.exists(digest);
    this.cache?.record(this.client.name, 'crate', cached ? 'hit' : 'miss');
    if (!cached) {
      const download = (await this.downloads.join(digest, () => this.begin(name, version, cksum)))!;
      await download.done;
      if (download.failure) throw download.failure;
    }
    return { digest, ...(await this.stores.blobs.open(digest)) };
  }

  private async begin(name: string, version: string, cksum: string): Promise<DownloadPlan> {
    const url = expandDl(await this.template(), name, version, cksum);
    const reply = await this.client.request(url);
    if (reply.status !== 200) throw this.client.unexpected(reply);
    const digest = `sha256:${cksum}`;
    return {
      source: reply.body,
      size: undefined,
      commit: (body) => this.stores.blobs.write(body, { expected: { algorithm: 'sha256', hex: cksum }, maxSize: MAX_UPSTREAM_CRATE, label: 'upstream .crate' }),
      openStored: async (start, end) => (await this.stores.blobs.open(digest, { start, ...(end === undefined ? {} : { end }) })).body,
      failure: (cause) => {
        if (!isNoraError(cause) || cause.code !== 'DIGEST_MISMATCH') return this.client.failure(cause, url);
        const actual = typeof cause.detail?.actual === 'string' ? cause.detail.actual : '?';
        return upstreamChecksum(this.client.base, name, version, cksum, actual.replace(/^sha256:/, ''));
      },
    };
  }

  /** The upstream's `dl` template: configured, else read from the upstream's own config.json. */
  private async template(): Promise<string> {
    if (this.dlTemplate) return this.dlTemplate;
    const url = `${this.index.indexUrl}config.json`;
    const reply = await this.client.request(url);
    if (reply.status !== 200) throw this.client.unexpected(reply);
    let config: { dl?: unknown };
    try {
      config = JSON.parse((await this.client.read(reply, 64 * 1024, 'config.json')).toString('utf8')) as { dl?: unknown };
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      throw UpstreamErrors.UNAVAILABLE(this.client.site(url), 'config.json is not JSON');
    }
    if (typeof config?.dl !== 'string') throw UpstreamErrors.UNAVAILABLE(this.client.site(url), 'config.json has no "dl"');
    this.dlTemplate = config.dl;
    return config.dl;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
