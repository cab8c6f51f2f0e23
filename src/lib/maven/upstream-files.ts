// Pull-through cache of artifact files for coordinates not deployed locally. The first request
// streams the upstream body to the client while it is stored as a blob; the body is checked
// against the upstream's .sha1/.sha256 (when it publishes one) before its last chunk passes, so
// a mismatching file is neither cached nor delivered whole. Concurrent requests for the same
// path share one upstream fetch; misses are remembered in the negative cache.
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { updateDocument } from '../storage/documents.js';
import { artifactKey, own, readCache, type CacheDocument, type StoredFile } from './artifact-document.js';
import { artifactName, parseChecksumBody } from './coordinates.js';
import type { MavenContext } from './context.js';
import type { FileTarget } from './deploy.js';
import { MavenErrors } from './errors.js';
import type { NegativeCache } from './negative-cache.js';
import type { UpstreamClient } from './upstream-client.js';
import { VerifyingStream, type ExpectedChecksums } from './verifying-stream.js';

export type UpstreamFile = { kind: 'cached'; file: StoredFile } | { kind: 'streaming'; body: Readable; size?: number };

const pathOf = (t: FileTarget) => `${artifactName(t.artifact)}/${t.version}/${t.filename}`;

export class UpstreamFiles {
  private readonly inflight = new Map<string, Promise<StoredFile | undefined>>();

  constructor(private readonly ctx: MavenContext, private readonly client: UpstreamClient, private readonly negative: NegativeCache) {}

  async cached(target: FileTarget): Promise<StoredFile | undefined> {
    return own((await readCache(this.ctx.store, target.artifact))?.files, `${target.version}/${target.filename}`);
  }

  /** The cached file, or a stream of it being fetched; undefined when no upstream has it. */
  async open(target: FileTarget): Promise<UpstreamFile | undefined> {
    const cached = await this.cached(target);
    if (cached) return { kind: 'cached', file: cached };
    const path = pathOf(target);
    if (this.negative.has(path)) return undefined;
    const running = this.inflight.get(path);
    if (running) {
      const file = await running;
      return file && { kind: 'cached', file };
    }
    // Registered before the first await, so every concurrent request finds it.
    let settle!: (stored: Promise<StoredFile | undefined>) => void;
    const shared = new Promise<StoredFile | undefined>((resolve) => { settle = resolve; });
    this.inflight.set(path, shared);
    shared.catch(() => undefined).finally(() => this.inflight.delete(path)).catch(() => undefined);
    try {
      const started = await this.fetch(target, path);
      settle(started.stored);
      return started.response;
    } catch (error) {
      settle(Promise.reject(error instanceof Error ? error : new Error(String(error))));
      throw error;
    }
  }

  /** The file once completely cached (fetching it if needed); undefined when no upstream has it. */
  async ensure(target: FileTarget): Promise<StoredFile | undefined> {
    const opened = await this.open(target);
    if (!opened || opened.kind === 'cached') return opened?.file;
    // Nobody reads this copy: drain it, and let the stored copy's outcome speak.
    opened.body.on('error', () => undefined).resume();
    return this.inflight.get(pathOf(target)) ?? this.cached(target);
  }

  private async fetch(target: FileTarget, path: string): Promise<{ response: UpstreamFile | undefined; stored: Promise<StoredFile | undefined> }> {
    const answer = await this.client.first(path);
    if (answer.status === 'missing') {
      this.negative.add(path);
      return { response: undefined, stored: Promise.resolve(undefined) };
    }
    if (answer.status === 'unreachable') throw MavenErrors.MAVEN_UPSTREAM_UNAVAILABLE(path, answer.reason);
    const expected = await this.publishedChecksums(answer.upstream, path);
    const verifier = new VerifyingStream(expected, (algorithm, sent, actual) => MavenErrors.MAVEN_UPSTREAM_CHECKSUM(answer.url, algorithm, sent, actual));
    const toStore = new PassThrough();
    const toClient = new PassThrough();
    pipeline(answer.body, verifier).catch(() => undefined);
    verifier.on('error', (error) => { toStore.destroy(error); toClient.destroy(error); });
    // A client that goes away must not stall the copy being stored.
    toClient.on('close', () => verifier.unpipe(toClient));
    verifier.pipe(toStore);
    verifier.pipe(toClient);
    const stored = this.store(target, answer.upstream, toStore);
    stored.catch(() => undefined);
    return { response: { kind: 'streaming', body: toClient, ...(answer.size === undefined ? {} : { size: answer.size }) }, stored };
  }

  private async publishedChecksums(upstream: string, path: string): Promise<ExpectedChecksums> {
    const [sha1, sha256] = await Promise.all([this.client.text(upstream, `${path}.sha1`), this.client.text(upstream, `${path}.sha256`)]);
    const expected: ExpectedChecksums = {};
    const hex1 = sha1.status === 'found' ? parseChecksumBody('sha1', sha1.text) : undefined;
    const hex256 = sha256.status === 'found' ? parseChecksumBody('sha256', sha256.text) : undefined;
    if (hex1) expected.sha1 = hex1;
    if (hex256) expected.sha256 = hex256;
    return expected;
  }

  private async store(target: FileTarget, upstream: string, body: Readable): Promise<StoredFile> {
    const written = await this.ctx.blobs.write(body, { extraHashes: ['sha1', 'md5', 'sha512'], maxSize: this.ctx.config.max_file_size, label: pathOf(target) });
    const file = { digest: written.digest, size: written.size, md5: written.hashes.md5!, sha1: written.hashes.sha1!, sha256: written.hashes.sha256!, sha512: written.hashes.sha512!, modified: new Date().toISOString(), upstream };
    await updateDocument<CacheDocument>(this.ctx.store, artifactKey('cache', target.artifact), (current) => {
      const doc = current ? structuredClone(current) : { files: {} };
      doc.files[`${target.version}/${target.filename}`] = file;
      return doc;
    });
    return file;
  }
}
