// The OCI blob service with a pull-through cache in front of it: a blob that is not in a
// repository served from an upstream is fetched once (single-flight per repository and digest),
// written into the blob store verified against its digest and linked into the repository, while
// every client asking for it streams it as the bytes arrive (see blob-flight.ts). Blobs are
// immutable, so a cached blob is served without asking the upstream again. Writes are refused
// on names served from an upstream unless it allows pushes.
// https://distribution.github.io/distribution/recipes/mirror/
import type { Readable } from 'node:stream';
import type { WrittenBlob } from '../blobs/blob-store.js';
import { isNoraError } from '../errors/nora-error.js';
import type { BlobApi } from '../oci/registry.js';
import type { BlobService } from '../oci/blob-service.js';
import { OciErrors } from '../oci/errors.js';
import { checkDigest } from '../oci/names.js';
import type { UploadState } from '../oci/upload-store.js';
import type { ByteRange, ObjectInfo } from '../storage/object-store.js';
import { BlobFlight } from './blob-flight.js';
import { isUpstreamFault, UpstreamErrors } from './errors.js';
import type { UpstreamDeps } from './upstream-deps.js';
import type { UpstreamTarget } from './upstream-routes.js';

/** Recent bytes of an in-flight blob kept for readers that join or lag (per blob). */
const WINDOW_BYTES = 16 * 1024 * 1024;

export class CachingBlobService implements BlobApi {
  private readonly flights = new Map<string, Promise<BlobFlight>>();

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
    const running = this.flights.get(key);
    if (running) return remote(await running);
    try {
      const answer = await local();
      const target = await this.deps.resolver.target(name);
      if (target) this.deps.metrics.hits.inc({ upstream: target.upstream.name, kind: 'blob' });
      return answer;
    } catch (error) {
      if (!isNoraError(error) || error.code !== 'BLOB_UNKNOWN') throw error;
      const target = await this.deps.resolver.target(name);
      if (!target) throw error;
      try {
        return await remote(await this.flight(key, name, digest, target));
      } catch (upstreamError) {
        // An upstream that refuses the name does not have it (Docker Hub answers 401 for unknown
        // repositories); and a repository never cached is being pushed, not pulled (clients check
        // for blobs first), so an upstream outage must not fail that push.
        const refused = isNoraError(upstreamError) && upstreamError.code === 'DENIED';
        if (refused || (isUpstreamFault(upstreamError) && !(await this.deps.resolver.records.isCached(name)))) {
          this.deps.log.warn({ upstream: target.upstream.name, name, digest, reason: (upstreamError as Error).message }, 'upstream did not serve the blob; answering BLOB_UNKNOWN');
          throw error;
        }
        throw upstreamError;
      }
    }
  }

  /** The running flight for `key`, or a new one; the first caller's request starts it. */
  private flight(key: string, name: string, digest: string, target: UpstreamTarget): Promise<BlobFlight> {
    let flight = this.flights.get(key);
    if (!flight) {
      flight = this.start(name, digest, target);
      this.flights.set(key, flight);
      flight.then((f) => f.done, () => undefined).finally(() => this.flights.delete(key)).catch(() => undefined);
    }
    return flight;
  }

  private async start(name: string, digest: string, { upstream, remote }: UpstreamTarget): Promise<BlobFlight> {
    const { client, metrics, log, resolver } = this.deps;
    metrics.misses.inc({ upstream: upstream.name, kind: 'blob' });
    const reply = await client(upstream).send('GET', remote, `blobs/${digest}`);
    if (reply.status === 404) {
      reply.body.resume();
      throw OciErrors.BLOB_UNKNOWN(name, digest);
    }
    const length = Number(reply.headers['content-length']);
    const size = Number.isSafeInteger(length) && length >= 0 ? length : undefined;
    await resolver.records.markCached(name, upstream.name);
    const flight = new BlobFlight(reply.body, {
      size,
      windowBytes: WINDOW_BYTES,
      commit: (body) => this.local.write(name, body, digest, size),
      openStored: async (start, end) => (await this.local.open(name, digest, { start, ...(end === undefined ? {} : { end }) })).body,
      onBytes: (n) => metrics.bytes.inc({ upstream: upstream.name }, n),
      failure: (cause) => UpstreamErrors.UNAVAILABLE(upstream.name, `the download of blob ${digest} failed: ${cause.message}`),
    });
    void flight.done.then(() => {
      if (!flight.failure) return;
      metrics.errors.inc({ upstream: upstream.name, reason: 'verify' });
      log.warn({ upstream: upstream.name, name, digest, reason: flight.failure.message }, 'upstream blob download failed; nothing was cached');
    });
    return flight;
  }
}
