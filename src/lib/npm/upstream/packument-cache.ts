// Upstream packuments cached in the store (repos/npm/<name>/upstream.json) and revalidated with
// the upstream's ETag once older than metadata_ttl. When the upstream fails, what is cached is
// served and marked stale; with nothing cached the upstream's error (502/504) stands. Upstream
// 404 forgets the cached copy. Concurrent misses for one name make one upstream request.
import type { ObjectStore } from '../../storage/object-store.js';
import { readDocument, writeDocument } from '../../storage/documents.js';
import { UpstreamErrors } from '../../upstream/errors.js';
import { SingleFlight } from '../../upstream/single-flight.js';
import { packagePrefix, type PackageName } from '../package-name.js';
import type { Packument } from '../packument.js';
import type { NpmUpstream } from './upstream-client.js';

export type CacheStatus = 'hit' | 'miss' | 'revalidated' | 'stale';

interface CachedPackument {
  fetchedAt: number;
  etag?: string;
  packument: Packument;
}

export interface UpstreamPackument {
  packument: Packument;
  /** Changes whenever the cached content does (for render caches). */
  version: string;
  status: CacheStatus;
}

export const upstreamKey = (name: PackageName): string => `${packagePrefix(name)}upstream.json`;

export class PackumentCache {
  private readonly flights = new SingleFlight<UpstreamPackument | undefined>();
  /** Parsed copies by name, valid while the stored object's etag is unchanged; bounded by stored size. */
  private readonly parsed = new Map<string, { etag: string; size: number; value: CachedPackument }>();
  private parsedBytes = 0;
  private static readonly PARSED_BUDGET = 64 * 1024 * 1024;

  constructor(private readonly options: { store: ObjectStore; client: NpmUpstream; ttlMs: number; now?: () => number }) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private async cached(name: PackageName): Promise<{ etag: string; value: CachedPackument } | undefined> {
    const key = upstreamKey(name);
    const info = await this.options.store.stat(key);
    if (!info) return undefined;
    const memo = this.parsed.get(name.full);
    if (memo?.etag === info.etag) return memo;
    const doc = await readDocument<CachedPackument>(this.options.store, key);
    if (!doc) return undefined;
    const entry = { etag: doc.etag, size: info.size, value: doc.value };
    this.remember(name.full, entry);
    return entry;
  }

  private remember(name: string, entry: { etag: string; size: number; value: CachedPackument }): void {
    const previous = this.parsed.get(name);
    if (previous) { this.parsed.delete(name); this.parsedBytes -= previous.size; }
    this.parsed.set(name, entry);
    this.parsedBytes += entry.size;
    for (const [oldest, old] of this.parsed) {
      if (this.parsedBytes <= PackumentCache.PARSED_BUDGET || oldest === name) break;
      this.parsed.delete(oldest);
      this.parsedBytes -= old.size;
    }
  }

  /** The packument of an upstream package; undefined when the upstream does not have it. */
  async get(name: PackageName): Promise<UpstreamPackument | undefined> {
    const cached = await this.cached(name);
    if (cached && this.now() - cached.value.fetchedAt < this.options.ttlMs) {
      return { packument: cached.value.packument, version: cached.etag, status: 'hit' };
    }
    return this.flights.run(name.full, () => this.refresh(name, cached));
  }

  private async refresh(name: PackageName, cached: { etag: string; value: CachedPackument } | undefined): Promise<UpstreamPackument | undefined> {
    const { store, client } = this.options;
    let answer;
    try {
      answer = await client.packument(name.escaped, cached?.value.etag);
    } catch (error) {
      if (cached) return { packument: cached.value.packument, version: cached.etag, status: 'stale' };
      throw error;
    }
    if (answer.status === 404) {
      if (cached) await store.delete(upstreamKey(name));
      return undefined;
    }
    if (answer.status === 304 && !cached) throw UpstreamErrors.UNAVAILABLE(client.client.site(), `unexpected 304 for ${name.full}`);
    const value: CachedPackument = answer.status === 304
      ? { ...cached!.value, fetchedAt: this.now() }
      : { fetchedAt: this.now(), ...(answer.etag ? { etag: answer.etag } : {}), packument: answer.packument };
    await writeDocument(store, upstreamKey(name), value);
    const fresh = await this.cached(name);
    return { packument: value.packument, version: fresh?.etag ?? String(value.fetchedAt), status: answer.status === 304 ? 'revalidated' : 'miss' };
  }
}
