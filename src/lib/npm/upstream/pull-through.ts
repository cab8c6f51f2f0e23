// The npm registry with a pull-through cache in front of it: a name published here is served from
// local data only, always (never merged with or replaced by upstream data: dependency-confusion
// protection); every other name comes from the upstream, its packument cached and revalidated
// (packument-cache.ts) and its tarballs stored as verified blobs on first download
// (tarball-cache.ts). Publishing a name only the upstream has is refused unless shadowing is
// allowed. Search and audit reach the upstream too.
import type { BlobStore } from '../../blobs/blob-store.js';
import type { NoraConfig } from '../../config/schema.js';
import type { ObjectStore } from '../../storage/object-store.js';
import type { CacheMeter, UpstreamMetrics } from '../../upstream/metrics.js';
import { NpmErrors } from '../errors.js';
import { parseIntegrity, parseShasum } from '../integrity.js';
import type { NpmApi, PackumentView, ResolvedPackument, TarballBytes } from '../npm-registry.js';
import type { PackageName } from '../package-name.js';
import { tarballFileOf, type Manifest } from '../packument.js';
import type { StreamedBody } from '../publish-stream.js';
import { search, type SearchQuery, type SearchResult } from '../search.js';
import { PackumentCache } from './packument-cache.js';
import { TarballCache } from './tarball-cache.js';
import { NpmUpstream, upstreamIntegrity } from './upstream-client.js';

export interface NpmPullThroughOptions {
  config: NoraConfig['npm'];
  store: ObjectStore;
  blobs: BlobStore;
  metrics?: UpstreamMetrics;
  now?: () => number;
}

/** The decorator for [[npm.upstreams]] (the first), or undefined when there is none. */
export function npmPullThrough(options: NpmPullThroughOptions): ((local: NpmApi) => NpmApi) | undefined {
  const settings = options.config.upstreams[0];
  if (!settings) return undefined;
  return (local) => new NpmPullThrough(local, new NpmUpstream(settings, options.metrics), options);
}

export class NpmPullThrough implements NpmApi {
  private readonly packuments: PackumentCache;
  private readonly tarballs: TarballCache;
  private readonly cache: CacheMeter | undefined;

  constructor(private readonly inner: NpmApi, readonly upstream: NpmUpstream, private readonly options: NpmPullThroughOptions) {
    const ttlMs = options.config.upstreams[0]?.metadata_ttl ?? 0;
    this.packuments = new PackumentCache({ store: options.store, client: upstream, ttlMs, ...(options.now ? { now: options.now } : {}) });
    this.tarballs = new TarballCache({ store: options.store, blobs: options.blobs, client: upstream });
    this.cache = options.metrics?.cache('npm');
  }

  get local(): NpmApi['local'] {
    return this.inner.local;
  }

  has(name: PackageName): Promise<boolean> {
    return this.inner.has(name);
  }

  /** The packument of `name`; PACKAGE_NOT_FOUND when neither local nor upstream has it. */
  async resolve(name: PackageName): Promise<ResolvedPackument> {
    if (await this.inner.has(name)) return this.inner.resolve(name);
    const resolved = await this.upstreamPackument(name);
    this.cache?.record(this.upstream.client.name, 'metadata', resolved.cache ?? 'hit');
    return resolved;
  }

  /** The cached (or fetched) upstream packument, not counted as a lookup of its own. */
  private async upstreamPackument(name: PackageName): Promise<ResolvedPackument> {
    const found = await this.packuments.get(name);
    if (!found) throw NpmErrors.PACKAGE_NOT_FOUND(name.full);
    return { packument: found.packument, cache: found.status, version: `upstream:${name.full}:${found.version}` };
  }

  async view(name: PackageName, registryBase: string, abbreviated: boolean): Promise<PackumentView> {
    if (await this.inner.has(name)) return this.inner.view(name, registryBase, abbreviated);
    return this.inner.render(await this.resolve(name), registryBase, abbreviated);
  }

  render(resolved: ResolvedPackument, registryBase: string, abbreviated: boolean): PackumentView {
    return this.inner.render(resolved, registryBase, abbreviated);
  }

  /** A local package's own file, else the upstream's (cached on first read). */
  async tarball(name: PackageName, file: string): Promise<TarballBytes> {
    if (await this.inner.has(name)) return this.inner.tarball(name, file);
    const resolved = await this.upstreamPackument(name);
    const manifest = Object.values(resolved.packument.versions).find((m: Manifest) => typeof m?.dist?.tarball === 'string' && tarballFileOf(m.dist.tarball) === file);
    if (!manifest) throw NpmErrors.TARBALL_NOT_FOUND(name.full, file);
    const sha512 = parseIntegrity(manifest.dist.integrity)?.hex;
    const sha1 = parseShasum(manifest.dist.shasum);
    if (!sha512 && !sha1) throw upstreamIntegrity(this.upstream.base, file);
    const stream = await this.tarballs.open(name, this.tarballUrl(name, manifest.dist.tarball, file), sha512 ? { sha512 } : { sha1: sha1! }, file);
    this.cache?.record(this.upstream.client.name, 'tarball', stream.cache);
    return resolved.cache === 'stale' ? { ...stream, cache: 'stale' } : stream;
  }

  /** The upstream's own URL when it is on the upstream's origin, else the conventional path there. */
  private tarballUrl(name: PackageName, reference: string, file: string): string {
    const base = this.upstream.base;
    try {
      if (new URL(reference).origin === new URL(base).origin) return reference;
    } catch { /* not an absolute URL */ }
    return `${base}/${name.full}/-/${encodeURIComponent(file)}`;
  }

  /** A name only the upstream has is refused (dependency confusion) unless shadowing is allowed. */
  async publish(name: PackageName, streamed: StreamedBody, actor?: string): Promise<void> {
    if (!this.options.config.allow_shadowing && !(await this.inner.has(name))) {
      let upstream;
      try {
        upstream = await this.packuments.get(name);
      } catch (error) {
        await this.inner.discard(streamed);
        throw error;
      }
      if (upstream) {
        await this.inner.discard(streamed);
        throw NpmErrors.SHADOWING(name.full, this.upstream.base);
      }
    }
    return this.inner.publish(name, streamed, actor);
  }

  discard(streamed: StreamedBody): Promise<void> {
    return this.inner.discard(streamed);
  }

  /** Local packages first, then the upstream's results (names published here dropped). */
  search(query: SearchQuery, visible?: (name: string) => Promise<boolean>): Promise<SearchResult> {
    return search(this.inner.local, (params) => this.upstream.forward('GET', `/-/v1/search?${params}`, { accept: 'application/json' }), query, visible);
  }

  audit(path: string, headers: Record<string, string>, body: Buffer): ReturnType<NpmApi['audit']> {
    return this.upstream.forward('POST', path, headers, body);
  }

  async close(): Promise<void> {
    await this.upstream.close();
    await this.inner.close();
  }
}
