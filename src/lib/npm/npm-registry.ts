// The npm registry as the HTTP layer sees it: packages published here. The pull-through cache
// (upstream/pull-through.ts) decorates it with the upstream's packages for every other name, so
// handlers call one NpmApi and never branch on local versus upstream themselves.
import { admitted, OPEN_GATE, type WriteGate } from '../formats/write-gate.js';
import type { Readable } from 'node:stream';
import type { BlobStore } from '../blobs/blob-store.js';
import type { EventBus } from '../events/bus.js';
import type { VersionedDocument } from '../storage/documents.js';
import type { ObjectStore } from '../storage/object-store.js';
import { NpmErrors } from './errors.js';
import { LocalPackages } from './local-packages.js';
import type { PackageDocument } from './package-document.js';
import { checkNewPackageName, type PackageName } from './package-name.js';
import { caseTwin } from './case-twin.js';
import { renderPackument, type Packument } from './packument.js';
import { parsePublishBody } from './publish-body.js';
import type { StreamedBody } from './publish-stream.js';
import { EtagMemo } from './etag-memo.js';
import { RenderedCache, type Rendered } from './rendered-cache.js';
import { search, type SearchQuery, type SearchResult } from './search.js';

/** How an upstream answer was served (pull-through only). */
export type CacheStatus = 'hit' | 'miss' | 'revalidated' | 'stale';

export interface NpmRegistryOptions {
  store: ObjectStore;
  blobs: BlobStore;
  events: EventBus;
  /** Asked before a published tarball is committed (tenant quotas); admits everything when absent. */
  gate?: WriteGate | undefined;
}

export interface PackumentView extends Rendered {
  /** Set for upstream packages: how the cache answered. */
  cache?: CacheStatus;
}

export interface TarballBytes {
  size?: number;
  body: Readable;
  cache?: CacheStatus;
}

/** What handlers call: the registry, or a decorator of it. */
export type NpmApi = Pick<NpmRegistry, 'local' | 'has' | 'resolve' | 'view' | 'render' | 'tarball' | 'publish' | 'discard' | 'search' | 'audit' | 'close'>;

export interface ResolvedPackument {
  packument: Packument;
  rev?: string;
  cache?: CacheStatus;
  /** Identity of the stored content, for render caches. */
  version: string;
}

export class NpmRegistry {
  readonly local: LocalPackages;
  private readonly rendered = new RenderedCache();
  private readonly localEtags = new EtagMemo();
  /** Parsed local documents by name, used while their etag is the one the memo knows. */
  private readonly docs = new Map<string, VersionedDocument<PackageDocument>>();

  private readonly gate: WriteGate;

  constructor(options: NpmRegistryOptions) {
    this.gate = options.gate ?? OPEN_GATE;
    this.local = new LocalPackages({ ...options, onChange: (name) => { this.localEtags.forget(name.full); this.docs.delete(name.full); } });
  }

  /** The etag of the local document (undefined: not published here), as fresh as the memo allows. */
  private async localEtag(name: PackageName): Promise<string | undefined> {
    let known = this.localEtags.get(name.full);
    if (!known) {
      known = { etag: (await this.local.stat(name))?.etag };
      this.localEtags.set(name.full, known.etag);
    }
    return known.etag;
  }

  /** The local document, from memory while its etag is current. */
  private async localDoc(name: PackageName): Promise<VersionedDocument<PackageDocument> | undefined> {
    const etag = await this.localEtag(name);
    if (etag === undefined) return undefined;
    const cached = this.docs.get(name.full);
    if (cached?.etag === etag) return cached;
    const fresh = await this.local.readVersioned(name);
    this.localEtags.set(name.full, fresh?.etag);
    if (fresh) {
      this.docs.delete(name.full);
      this.docs.set(name.full, fresh);
      if (this.docs.size > 256) this.docs.delete(this.docs.keys().next().value!);
    }
    return fresh;
  }

  /** True when `name` is published here. */
  async has(name: PackageName): Promise<boolean> {
    return (await this.localEtag(name)) !== undefined;
  }

  /** The packument of `name`; PACKAGE_NOT_FOUND when it is not published here. */
  async resolve(name: PackageName): Promise<ResolvedPackument> {
    const local = await this.localDoc(name);
    if (!local) throw NpmErrors.PACKAGE_NOT_FOUND(name.full);
    return { packument: local.value.packument, rev: local.value.rev, version: `local:${name.full}:${local.etag}` };
  }

  /** The packument as served, rendered once per stored version, base URL and form. */
  async view(name: PackageName, registryBase: string, abbreviated: boolean): Promise<PackumentView> {
    const etag = await this.localEtag(name);
    const hit = etag !== undefined && this.rendered.peek(`local:${name.full}:${etag}:${registryBase}:${abbreviated}`);
    if (hit) return hit;
    return this.render(await this.resolve(name), registryBase, abbreviated);
  }

  /** A resolved packument as served (memoized by its version, base URL and form). */
  render(resolved: ResolvedPackument, registryBase: string, abbreviated: boolean): PackumentView {
    const key = `${resolved.version}:${registryBase}:${abbreviated}`;
    const rendered = this.rendered.get(key, () => renderPackument(resolved.packument, { registryBase, abbreviated, ...(resolved.rev ? { rev: resolved.rev } : {}) }));
    return { ...rendered, ...(resolved.cache ? { cache: resolved.cache } : {}) };
  }

  /** A tarball's bytes; PACKAGE_NOT_FOUND when the package is not published here. */
  async tarball(name: PackageName, file: string): Promise<TarballBytes> {
    const doc = await this.localDoc(name);
    if (!doc) throw NpmErrors.PACKAGE_NOT_FOUND(name.full);
    return this.local.openTarball(name, doc.value, file);
  }

  /**
   * `npm publish` of a streamed body (its tarball staged, see publish-stream.ts): validated, and
   * the tarball committed just before the version is added. Whatever fails, the body is discarded.
   */
  async publish(name: PackageName, streamed: StreamedBody, actor?: string): Promise<void> {
    try {
      const published = parsePublishBody(name, streamed.json, streamed.blob);
      const existing = await this.local.read(name);
      if (existing?.packument.versions[published.version]) throw NpmErrors.VERSION_EXISTS(name.full, published.version);
      if (!existing) await this.checkNewName(name);
      await admitted(this.gate, { format: 'npm', name: name.full, blobs: [{ digest: published.digest, size: published.size }], ...(actor ? { actor } : {}) }, async () => {
        await streamed.blob!.commit();
        await this.local.publish(name, published, actor);
      });
    } catch (error) {
      await this.discard(streamed);
      throw error;
    }
  }

  /** A package is created: its name must pass npm's rules for new names and not be a published name in other case. */
  private async checkNewName(name: PackageName): Promise<void> {
    checkNewPackageName(name);
    const twin = await caseTwin(this.local, name);
    if (twin !== undefined) throw NpmErrors.NAME_CONFLICT(name.full, twin);
  }

  /**
   * Discards the staged tarball of a refused publish, and nothing else: a committed blob stays for
   * gc, since a concurrent identical publish may reference it.
   */
  async discard(streamed: StreamedBody): Promise<void> {
    await streamed.blob?.discard().catch(() => undefined);
  }

  /** `npm search` over the packages published here. */
  search(query: SearchQuery, visible?: (name: string) => Promise<boolean>): Promise<SearchResult> {
    return search(this.local, undefined, query, visible);
  }

  /** `npm audit`: nothing to forward to (undefined: answer an empty report). */
  async audit(_path: string, _headers: Record<string, string>, _body: Buffer): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer } | undefined> {
    return undefined;
  }

  async close(): Promise<void> {
    // Nothing to release: the store belongs to Services.
  }
}
