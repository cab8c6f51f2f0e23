// Pull-through cache of artifact files for coordinates not deployed locally. The upstream kit's
// download streams the upstream body to every client asking for it while it is stored as a blob;
// the body is checked against the upstream's .sha1/.sha256 (when it publishes one) before its last
// chunk passes, so a mismatching file is neither cached nor delivered whole. Misses are remembered
// in the negative cache.
import type { Readable } from 'node:stream';
import { updateDocument } from '../storage/documents.js';
import type { ExpectedChecksums } from '../streams/verifying-stream.js';
import type { UpstreamClient } from '../upstream/client.js';
import { Downloads, type DownloadPlan } from '../upstream/downloads.js';
import { artifactKey, own, readCache, type CacheDocument, type StoredFile } from './artifact-document.js';
import { artifactName, parseChecksumBody } from './coordinates.js';
import type { MavenContext } from './context.js';
import type { FileTarget } from './deploy.js';
import type { NegativeCache } from './negative-cache.js';
import { upstreamChecksum, upstreamUnavailable, type MavenUpstreams } from './upstream-client.js';

export type UpstreamFile = { kind: 'cached'; file: StoredFile } | { kind: 'streaming'; body: Readable; size?: number };

const pathOf = (t: FileTarget) => `${artifactName(t.artifact)}/${t.version}/${t.filename}`;

export class UpstreamFiles {
  private readonly downloads = new Downloads();

  constructor(private readonly ctx: MavenContext, private readonly upstreams: MavenUpstreams, private readonly negative: NegativeCache) {}

  async cached(target: FileTarget): Promise<StoredFile | undefined> {
    return own((await readCache(this.ctx.store, target.artifact))?.files, `${target.version}/${target.filename}`);
  }

  /** The cached file, or a stream of it being fetched; undefined when no upstream has it. */
  async open(target: FileTarget): Promise<UpstreamFile | undefined> {
    const cached = await this.cached(target);
    if (cached) return { kind: 'cached', file: this.hit(cached) };
    const path = pathOf(target);
    if (this.negative.has(path)) return undefined;
    const download = await this.downloads.join(path, () => this.begin(target, path));
    return download && { kind: 'streaming', body: download.reader(), ...(download.size === undefined ? {} : { size: download.size }) };
  }

  /** The file once completely cached (fetching it if needed); undefined when no upstream has it. */
  async ensure(target: FileTarget): Promise<StoredFile | undefined> {
    const cached = await this.cached(target);
    if (cached) return this.hit(cached);
    const path = pathOf(target);
    if (this.negative.has(path)) return undefined;
    const download = await this.downloads.join(path, () => this.begin(target, path));
    if (!download) return undefined;
    await download.done;
    if (download.failure) throw download.failure;
    return this.cached(target);
  }

  /** Counts a lookup answered from the cache, labelled with the upstream the file came from. */
  private hit(file: StoredFile): StoredFile {
    this.upstreams.cache?.record(this.upstreams.nameOf((file as StoredFile & { upstream?: string }).upstream), 'file', 'hit');
    return file;
  }

  private async begin(target: FileTarget, path: string): Promise<DownloadPlan | undefined> {
    const answer = await this.upstreams.first(path);
    if (answer.status === 'missing') {
      this.negative.add(path);
      return undefined;
    }
    if (answer.status === 'unreachable') throw upstreamUnavailable(path, answer, this.upstreams.bases);
    const { upstream, reply } = answer;
    // One miss per download (clients joining it are not counted again), as for OCI blobs.
    this.upstreams.cache?.record(upstream.name, 'file', 'miss');
    // Asked while the file streams: the file's body holds an upstream slot until it ends, and
    // waiting for two more slots before reading it could take every slot there is.
    const expected = this.publishedChecksums(upstream, path);
    return {
      source: reply.body,
      size: answer.size,
      expected: { checksums: expected, algorithms: ['sha1', 'sha256'], mismatch: (algorithm, sent, actual) => upstreamChecksum(reply.url, algorithm, sent, actual) },
      commit: (body) => this.store(target, upstream.base, body),
      openStored: async (start, end) => {
        const file = await this.cached(target);
        return (await this.ctx.blobs.open(file!.digest, { start, ...(end === undefined ? {} : { end }) })).body;
      },
      failure: (cause) => upstream.failure(cause, reply.url),
    };
  }

  private async publishedChecksums(upstream: UpstreamClient, path: string): Promise<ExpectedChecksums> {
    const [sha1, sha256] = await Promise.all([this.upstreams.text(upstream, `${path}.sha1`), this.upstreams.text(upstream, `${path}.sha256`)]);
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
