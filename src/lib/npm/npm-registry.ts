// The npm registry as the HTTP layer sees it: local packages first, always and exclusively (a
// name published here is never merged with or replaced by upstream data: dependency-confusion
// protection), then the upstream cache for every other name when one is configured. Handlers
// call this and never branch on local versus upstream themselves.
import type { Readable } from 'node:stream';
import type { BlobStore } from '../blobs/blob-store.js';
import type { EventBus } from '../events/bus.js';
import type { VersionedDocument } from '../storage/documents.js';
import type { ObjectStore } from '../storage/object-store.js';
import { NpmErrors } from './errors.js';
import { parseIntegrity, parseShasum } from './integrity.js';
import { LocalPackages } from './local-packages.js';
import type { PackageDocument } from './package-document.js';
import { checkNewPackageName, type PackageName } from './package-name.js';
import { caseTwin } from './case-twin.js';
import { renderPackument, tarballFileOf, type Manifest, type Packument } from './packument.js';
import { parsePublishBody } from './publish-body.js';
import type { StreamedBody } from './publish-stream.js';
import { EtagMemo } from './etag-memo.js';
import { RenderedCache, type Rendered } from './rendered-cache.js';
import { PackumentCache, type CacheStatus } from './upstream/packument-cache.js';
import { TarballCache } from './upstream/tarball-cache.js';
import { UpstreamClient } from './upstream/upstream-client.js';

export interface NpmRegistryOptions {
  store: ObjectStore;
  blobs: BlobStore;
  events: EventBus;
  /** Upstream registry URL; empty for none. */
  upstream: string;
  metadataTtlMs: number;
  upstreamTimeoutMs: number;
  allowShadowing: boolean;
}

export interface PackumentView extends Rendered {
  /** Set for upstream packages: how the cache answered. */
  cache?: CacheStatus;
}

export interface ResolvedPackument {
  packument: Packument;
  rev?: string;
  cache?: CacheStatus;
  /** Identity of the stored content, for render caches. */
  version: string;
}

export class NpmRegistry {
  readonly local: LocalPackages;
  readonly upstream?: { client: UpstreamClient; packuments: PackumentCache; tarballs: TarballCache };
  private readonly rendered = new RenderedCache();
  private readonly localEtags = new EtagMemo();
  /** Parsed local documents by name, used while their etag is the one the memo knows. */
  private readonly docs = new Map<string, VersionedDocument<PackageDocument>>();

  constructor(readonly options: NpmRegistryOptions) {
    this.local = new LocalPackages({ ...options, onChange: (name) => { this.localEtags.forget(name.full); this.docs.delete(name.full); } });
    if (options.upstream) {
      const client = new UpstreamClient(options.upstream, options.upstreamTimeoutMs);
      this.upstream = {
        client,
        packuments: new PackumentCache({ store: options.store, client, ttlMs: options.metadataTtlMs }),
        tarballs: new TarballCache({ store: options.store, blobs: options.blobs, client }),
      };
    }
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

  /** The packument of `name`; PACKAGE_NOT_FOUND when neither local nor upstream has it. */
  async resolve(name: PackageName): Promise<ResolvedPackument> {
    const local = await this.localDoc(name);
    if (local) return { packument: local.value.packument, rev: local.value.rev, version: `local:${name.full}:${local.etag}` };
    const found = await this.upstream?.packuments.get(name);
    if (!found) throw NpmErrors.PACKAGE_NOT_FOUND(name.full);
    return { packument: found.packument, cache: found.status, version: `upstream:${name.full}:${found.version}` };
  }

  /** The packument as served, rendered once per stored version, base URL and form. */
  async view(name: PackageName, registryBase: string, abbreviated: boolean): Promise<PackumentView> {
    const etag = await this.localEtag(name);
    const hit = etag !== undefined && this.rendered.peek(`local:${name.full}:${etag}:${registryBase}:${abbreviated}`);
    if (hit) return hit;
    const resolved = await this.resolve(name);
    const key = `${resolved.version}:${registryBase}:${abbreviated}`;
    const rendered = this.rendered.get(key, () => renderPackument(resolved.packument, { registryBase, abbreviated, ...(resolved.rev ? { rev: resolved.rev } : {}) }));
    return { ...rendered, ...(resolved.cache ? { cache: resolved.cache } : {}) };
  }

  /** A tarball's bytes: a local package's own file, else the upstream's (cached on first read). */
  async tarball(name: PackageName, file: string): Promise<{ size?: number; body: Readable; cache?: CacheStatus | 'hit' | 'miss' }> {
    const doc = await this.localDoc(name);
    if (doc) return this.local.openTarball(name, doc.value, file);
    if (!this.upstream) throw NpmErrors.PACKAGE_NOT_FOUND(name.full);
    const resolved = await this.resolve(name);
    const manifest = Object.values(resolved.packument.versions).find((m: Manifest) => typeof m?.dist?.tarball === 'string' && tarballFileOf(m.dist.tarball) === file);
    if (!manifest) throw NpmErrors.TARBALL_NOT_FOUND(name.full, file);
    const sha512 = parseIntegrity(manifest.dist.integrity)?.hex;
    const sha1 = parseShasum(manifest.dist.shasum);
    if (!sha512 && !sha1) throw NpmErrors.UPSTREAM_INTEGRITY(this.upstream.client.base, file);
    const check = sha512 ? { sha512 } : { sha1: sha1! };
    const stream = await this.upstream.tarballs.open(name, this.upstreamTarballUrl(name, manifest.dist.tarball, file), check, file);
    return resolved.cache === 'stale' ? { ...stream, cache: 'stale' } : stream;
  }

  /** The upstream's own URL when it is on the upstream's origin, else the conventional path there. */
  private upstreamTarballUrl(name: PackageName, reference: string, file: string): string {
    const base = this.upstream!.client.base;
    try {
      if (new URL(reference).origin === new URL(base).origin) return reference;
    } catch { /* not an absolute URL */ }
    return `${base}/${name.full}/-/${encodeURIComponent(file)}`;
  }

  /**
   * `npm publish` of a streamed body (its tarball staged, see publish-stream.ts): validated, then a
   * name only the upstream has is refused unless shadowing is allowed; the tarball is committed
   * just before the version is added. A refusal discards the staged tarball and nothing else: a
   * committed blob stays for gc, since a concurrent identical publish may reference it.
   */
  async publish(name: PackageName, streamed: StreamedBody, actor?: string): Promise<void> {
    try {
      const published = parsePublishBody(name, streamed.json, streamed.blob);
      const existing = await this.local.read(name);
      if (existing?.packument.versions[published.version]) throw NpmErrors.VERSION_EXISTS(name.full, published.version);
      if (!existing) await this.checkNewName(name);
      if (!existing && this.upstream && !this.options.allowShadowing) {
        const upstream = await this.upstream.packuments.get(name);
        if (upstream) throw NpmErrors.SHADOWING(name.full, this.upstream.client.base);
      }
      await streamed.blob!.commit();
      await this.local.publish(name, published, actor);
    } catch (error) {
      await streamed.blob?.discard().catch(() => undefined);
      throw error;
    }
  }

  /** A package is created: its name must pass npm's rules for new names and not be a published name in other case. */
  private async checkNewName(name: PackageName): Promise<void> {
    checkNewPackageName(name);
    const twin = await caseTwin(this.local, name);
    if (twin !== undefined) throw NpmErrors.NAME_CONFLICT(name.full, twin);
  }

  async close(): Promise<void> {
    await this.upstream?.client.close();
  }
}
