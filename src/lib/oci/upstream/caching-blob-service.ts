// The OCI blob service with a pull-through cache in front of it: a blob that is not in a
// repository served from an upstream is fetched once (single-flight per repository and digest),
// written into the blob store verified against its digest and linked into the repository, while
// every client asking for it streams it as the bytes arrive (the upstream kit's Downloads). Blobs are
// immutable, so a cached blob is served without asking the upstream again. Writes are refused
// on names served from an upstream unless it allows pushes.
// https://distribution.github.io/distribution/recipes/mirror/
import type { Readable } from 'node:stream';
import type { WrittenBlob } from '../../blobs/blob-store.js';
import { isNoraError } from '../../errors/nora-error.js';
import type { BlobApi } from '../registry.js';
import type { BlobService } from '../blob-service.js';
import { OciErrors } from '../errors.js';
import { checkDigest } from '../names.js';
import type { UploadState } from '../upload-store.js';
import type { ByteRange, ObjectInfo } from '../../storage/object-store.js';
import type { BlobFlight } from '../../upstream/blob-flight.js';
import { Downloads, type DownloadPlan } from '../../upstream/downloads.js';
import { isUpstreamFault, UpstreamErrors } from '../../upstream/errors.js';
import type { UpstreamDeps } from './upstream-deps.js';
import type { UpstreamTarget } from './upstream-routes.js';

export class CachingBlobService implements BlobApi {
  private readonly downloads = new Downloads();

  constructor(private readonly local: BlobService, private readonly deps: UpstreamDeps) {}

  get uploads(): BlobService['uploads'] {
    return this.local.uploads;
  }

  async stat(name: string, digest: string): Promise<{ digest: string; size: number }> {
    return this.cached(name, digest, () => this.local.stat(name, digest), async (flight) => {
      if (flight.size !== undefined) return { digest, size: flight.size };
      await flight.done;
      if (flight.failure) throw flight.failure;
      return this.local.stat(name, digest);
    });
  }

  async open(name: string, digest: string, range?: ByteRange): Promise<{ info: ObjectInfo; body: Readable }> {
    return this.cached(name, digest, () => this.local.open(name, digest, range), async (flight) => ({
      info: { key: digest, size: flight.size ?? 0, etag: digest, modified: new Date() },
      body: flight.reader(range?.start ?? 0, range?.end),
    }));
  }

  /** Direct (presigned) URL only for blobs already cached; others stream through open() from the upstream. */
  async directUrl(name: string, digest: string, ttlMs: number): Promise<string | undefined> {
    try {
      return await this.local.directUrl(name, digest, ttlMs);
    } catch (error) {
      if (isNoraError(error) && error.code === 'BLOB_UNKNOWN') return undefined;
      throw error;
    }
  }

  async write(name: string, body: Readable, digest: string, length?: number, actor?: string): Promise<WrittenBlob> {
    await this.deps.resolver.assertPushable(name);
    return this.local.write(name, body, digest, length, actor);
  }

  async complete(state: UploadState, digest: string, last?: { body: Readable; start?: number; length?: number }, actor?: string): Promise<WrittenBlob> {
    await this.deps.resolver.assertPushable(state.name);
    return this.local.complete(state, digest, last, actor);
  }

  async mount(name: string, from: string, digest: string, actor?: string): Promise<{ digest: string; size: number } | undefined> {
    await this.deps.resolver.assertPushable(name);
    return this.local.mount(name, from, digest, actor);
  }

  async delete(name: string, digest: string, actor?: string): Promise<void> {
    return this.local.delete(name, digest, actor);
  }

  /** Answers from the local service; on BLOB_UNKNOWN in an upstream-served repository, from a flight. */
  private async cached<T>(name: string, digest: string, local: () => Promise<T>, remote: (flight: BlobFlight) => Promise<T>): Promise<T> {
    checkDigest(digest);
    const key = `${name}@${digest}`;
    const running = this.downloads.get(key);
    if (running) return remote((await running)!);
    try {
      const answer = await local();
      const target = await this.deps.resolver.target(name);
      if (target) this.deps.cache.record(target.upstream.name, 'blob', 'hit');
      return answer;
    } catch (error) {
      if (!isNoraError(error) || error.code !== 'BLOB_UNKNOWN') throw error;
      const target = await this.deps.resolver.target(name);
      if (!target) throw error;
      try {
        return await remote((await this.downloads.join(key, () => this.start(name, digest, target)))!);
      } catch (upstreamError) {
        // An upstream that refuses the name does not have it (Docker Hub answers 401 for unknown
        // repositories); and a repository never cached is being pushed, not pulled (clients check
        // for blobs first), so an upstream outage must not fail that push.
        const refused = isNoraError(upstreamError) && upstreamError.code === UpstreamErrors.DENIED.code;
        if (refused || (isUpstreamFault(upstreamError) && !(await this.deps.resolver.records.isCached(name)))) {
          this.deps.log.warn({ upstream: target.upstream.name, name, digest, reason: (upstreamError as Error).message }, 'upstream did not serve the blob; answering BLOB_UNKNOWN');
          throw error;
        }
        throw upstreamError;
      }
    }
  }

  /** Begins the download of a blob the repository does not have; BLOB_UNKNOWN when the upstream has none. */
  private async start(name: string, digest: string, { upstream, remote }: UpstreamTarget): Promise<DownloadPlan> {
    const { cache, metrics, log, resolver } = this.deps;
    const client = this.deps.client(upstream);
    cache.record(upstream.name, 'blob', 'miss');
    const reply = await client.send('GET', remote, `blobs/${digest}`);
    if (reply.status === 404) {
      reply.body.resume();
      throw OciErrors.BLOB_UNKNOWN(name, digest);
    }
    const length = Number(reply.headers['content-length']);
    const size = Number.isSafeInteger(length) && length >= 0 ? length : undefined;
    await resolver.records.markCached(name, upstream.name);
    return {
      source: reply.body,
      size,
      commit: (body) => this.local.write(name, body, digest, size),
      openStored: async (start, end) => (await this.local.open(name, digest, { start, ...(end === undefined ? {} : { end }) })).body,
      onBytes: (n) => metrics.bytes.inc({ upstream: upstream.name }, n),
      failure: (cause) => {
        metrics.errors.inc({ upstream: upstream.name, reason: 'verify' });
        log.warn({ upstream: upstream.name, name, digest, reason: cause.message }, 'upstream blob download failed; nothing was cached');
        return UpstreamErrors.UNAVAILABLE(client.site(), `the download of blob ${digest} failed: ${cause.message}`);
      },
    };
  }
}
