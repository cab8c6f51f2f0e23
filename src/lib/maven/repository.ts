// The Maven repository as clients read it: local deploys first, and for coordinates that are
// not local the upstream cache. Local artifacts never take upstream files or versions
// (dependency-confusion protection). Checksums of every algorithm are answered from the hashes
// computed when a file was stored, or from the generated metadata bytes.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { CommonErrors } from '../errors/catalog.js';
import { own, readArtifact, type StoredFile } from './artifact-document.js';
import type { ChecksumAlgorithm, MavenPath } from './coordinates.js';
import type { MavenContext } from './context.js';
import type { FileTarget } from './deploy.js';
import { localMetadata, type GeneratedMetadata } from './local-metadata.js';
import { NegativeCache } from './negative-cache.js';
import { UpstreamClient } from './upstream-client.js';
import { UpstreamFiles } from './upstream-files.js';
import { UpstreamMetadata } from './upstream-metadata.js';

export type Resource =
  | { kind: 'blob'; file: StoredFile; source: 'local' | 'cache' }
  | { kind: 'text'; text: string; modified: Date; etag: string }
  | { kind: 'stream'; body: Readable; size?: number };

export type ResolvablePath = Extract<MavenPath, { kind: 'file' | 'metadata' }>;

const textResource = (text: string, modified: Date): Resource => ({ kind: 'text', text, modified, etag: createHash('sha1').update(text).digest('hex') });
const checksumOf = (file: StoredFile, algorithm: ChecksumAlgorithm): Resource => textResource(file[algorithm], new Date(file.modified));

export class MavenRepository {
  readonly client: UpstreamClient;
  private readonly files: UpstreamFiles;
  private readonly metadata: UpstreamMetadata;

  constructor(private readonly ctx: MavenContext) {
    this.client = new UpstreamClient(ctx.config.upstream, ctx.config.upstream_timeout);
    const negative = new NegativeCache(ctx.config.negative_ttl);
    this.files = new UpstreamFiles(ctx, this.client, negative);
    this.metadata = new UpstreamMetadata(ctx, this.client, negative);
  }

  /** Resolves a file or metadata path; NOT_FOUND when neither local nor any upstream has it. */
  async resolve(path: ResolvablePath, display: string): Promise<Resource> {
    const found = path.kind === 'file' ? await this.resolveFile(path, path.checksum) : await this.resolveMetadata(path.dir, path.checksum);
    if (!found) throw CommonErrors.NOT_FOUND(display);
    return found;
  }

  private async resolveFile(target: FileTarget, checksum: ChecksumAlgorithm | undefined): Promise<Resource | undefined> {
    const doc = await readArtifact(this.ctx.store, target.artifact);
    if (doc) {
      const file = own(own(doc.versions, target.version)?.files, target.filename);
      if (!file) return undefined;
      return checksum ? checksumOf(file, checksum) : { kind: 'blob', file, source: 'local' };
    }
    if (!this.client.enabled) {
      const cached = await this.files.cached(target);
      if (!cached) return undefined;
      return checksum ? checksumOf(cached, checksum) : { kind: 'blob', file: cached, source: 'cache' };
    }
    if (checksum) {
      const file = await this.files.ensure(target);
      return file && checksumOf(file, checksum);
    }
    const opened = await this.files.open(target);
    if (!opened) return undefined;
    return opened.kind === 'cached' ? { kind: 'blob', file: opened.file, source: 'cache' } : { kind: 'stream', body: opened.body, ...(opened.size === undefined ? {} : { size: opened.size }) };
  }

  private async resolveMetadata(dir: string[], checksum: ChecksumAlgorithm | undefined): Promise<Resource | undefined> {
    const local = await localMetadata(this.ctx.store, dir);
    let metadata: GeneratedMetadata | undefined = local.metadata;
    if (!local.local && this.client.enabled) metadata = await this.metadata.get(dir);
    if (!metadata) return undefined;
    const text = checksum ? createHash(checksum).update(metadata.xml).digest('hex') : metadata.xml;
    return textResource(text, metadata.modified);
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
