// The upstream sparse index seen through NORA: each index file is cached as a document
// (repos/cargo/crates-io/<lowercase name>/index.json) and served for [cargo] upstream_ttl; then
// it is revalidated with the upstream's ETag/Last-Modified. When the upstream is down or
// failing, the stale copy is served; a 404/410/451 upstream means the crate does not exist there.
// Cached files are never merged with local crates.
import { createHash } from 'node:crypto';
import type { ObjectStore } from '../../storage/object-store.js';
import { readDocument, writeDocument } from '../../storage/documents.js';
import type { UpstreamClient } from '../../upstream/client.js';
import { UpstreamErrors } from '../../upstream/errors.js';
import type { CacheMeter, CacheOutcome } from '../../upstream/metrics.js';
import { SingleFlight } from '../../upstream/single-flight.js';
import { indexPath } from '../names.js';

export const UPSTREAM_PREFIX = 'repos/cargo/crates-io/';
const MAX_INDEX_FILE = 64 * 1024 * 1024;

export interface CachedIndexFile {
  body: string;
  /** sha256 of body: NORA's own ETag for it. */
  digest: string;
  upstream_etag: string | null;
  upstream_last_modified: string | null;
  /** When the body last changed (NORA's Last-Modified). */
  updated: string;
  /** Epoch milliseconds of the last successful contact with the upstream. */
  checked_at: number;
}

const header = (value: string | string[] | undefined): string | null => (Array.isArray(value) ? value[0] ?? null : value ?? null);

export class UpstreamIndex {
  private readonly flight = new SingleFlight<CachedIndexFile | undefined>();

  /** `indexUrl` is the upstream index root (no "sparse+", ending in "/"). */
  constructor(private readonly store: ObjectStore, private readonly client: UpstreamClient, readonly indexUrl: string, private readonly ttlMs: number,
    private readonly now: () => number = Date.now, private readonly cache?: CacheMeter) {}

  private count(outcome: CacheOutcome): void {
    this.cache?.record(this.client.name, 'index', outcome);
  }

  private key(name: string): string {
    return `${UPSTREAM_PREFIX}${name.toLowerCase()}/index.json`;
  }

  /** The index file of `name`, fresh enough; undefined when the upstream has no such crate. */
  async get(name: string): Promise<CachedIndexFile | undefined> {
    const cached = (await readDocument<CachedIndexFile>(this.store, this.key(name)))?.value;
    if (cached && this.now() - cached.checked_at < this.ttlMs) {
      this.count('hit');
      return cached;
    }
    return this.flight.run(name.toLowerCase(), () => this.refresh(name, cached));
  }

  private async refresh(name: string, cached: CachedIndexFile | undefined): Promise<CachedIndexFile | undefined> {
    const url = `${this.indexUrl}${indexPath(name)}`;
    const conditional: Record<string, string> = {};
    if (cached?.upstream_etag) conditional['if-none-match'] = cached.upstream_etag;
    if (cached?.upstream_last_modified) conditional['if-modified-since'] = cached.upstream_last_modified;
    try {
      const reply = await this.client.request(url, { headers: conditional });
      if (reply.status === 304 && cached) {
        reply.body.resume();
        this.count('revalidated');
        return await this.save(name, { ...cached, checked_at: this.now() });
      }
      if (reply.status === 200) {
        const body = (await this.client.read(reply, MAX_INDEX_FILE, 'an index file')).toString('utf8');
        if (!isIndexFile(body, name)) throw UpstreamErrors.UNAVAILABLE(this.client.site(url), 'the answer is not an index file of that crate');
        const digest = createHash('sha256').update(body).digest('hex');
        this.count('miss');
        return await this.save(name, {
          body,
          digest,
          upstream_etag: header(reply.headers.etag),
          upstream_last_modified: header(reply.headers['last-modified']),
          updated: cached?.digest === digest ? cached.updated : new Date(this.now()).toISOString(),
          checked_at: this.now(),
        });
      }
      if ([404, 410, 451].includes(reply.status)) {
        reply.body.resume();
        this.count('miss');
        if (cached) await this.store.delete(this.key(name));
        return undefined;
      }
      throw this.client.unexpected(reply);
    } catch (error) {
      // Upstream down or misbehaving (or too big, or cut off): a stale copy beats a failed build.
      if (cached) {
        this.count('stale');
        return cached;
      }
      throw this.client.failure(error, url);
    }
  }

  private async save(name: string, file: CachedIndexFile): Promise<CachedIndexFile> {
    await writeDocument(this.store, this.key(name), file);
    return file;
  }
}

/** True when every line of `body` is a JSON index entry of `name` (any case). */
export function isIndexFile(body: string, name: string): boolean {
  const lines = body.split('\n').filter((l) => l.trim() !== '');
  return lines.length > 0 && lines.every((line) => {
    try {
      const entry = JSON.parse(line) as { name?: unknown; vers?: unknown };
      return typeof entry.name === 'string' && entry.name.toLowerCase() === name.toLowerCase() && typeof entry.vers === 'string';
    } catch {
      return false;
    }
  });
}

/** The `cksum` of `version` in an index file body, or undefined when no line has that version. */
export function findCksum(body: string, version: string): string | undefined {
  for (const line of body.split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as { vers?: unknown; cksum?: unknown };
      if (entry.vers === version && typeof entry.cksum === 'string' && /^[0-9a-f]{64}$/.test(entry.cksum)) return entry.cksum;
    } catch {
      // A malformed line only hides its own version.
    }
  }
  return undefined;
}
