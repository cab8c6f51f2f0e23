// The Maven repository as clients read it: what is deployed here. The pull-through cache
// (pull-through.ts) decorates it for coordinates that are not deployed locally; local artifacts
// never take upstream files or versions (dependency-confusion protection). Checksums of every
// algorithm are answered from the hashes computed when a file was stored, or from the generated
// metadata bytes.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { CommonErrors } from '../errors/catalog.js';
import { own, readArtifact, type StoredFile } from './artifact-document.js';
import type { ChecksumAlgorithm, MavenPath } from './coordinates.js';
import type { MavenContext } from './context.js';
import { localMetadata, type GeneratedMetadata } from './local-metadata.js';

export type Resource =
  | { kind: 'blob'; file: StoredFile; source: 'local' | 'cache' }
  | { kind: 'text'; text: string; modified: Date; etag: string }
  | { kind: 'stream'; body: Readable; size?: number };

export type ResolvablePath = Extract<MavenPath, { kind: 'file' | 'metadata' }>;

/** What a repository answers for a path: whether its coordinates are deployed here, and the resource. */
export interface Lookup {
  local: boolean;
  resource?: Resource | undefined;
}

/** What handlers call: the repository, or a decorator of it. */
export type MavenApi = Pick<MavenRepository, 'lookup' | 'resolve' | 'close'>;

const textResource = (text: string, modified: Date): Resource => ({ kind: 'text', text, modified, etag: createHash('sha1').update(text).digest('hex') });
export const checksumOf = (file: StoredFile, algorithm: ChecksumAlgorithm): Resource => textResource(file[algorithm], new Date(file.modified));

/** maven-metadata.xml, or its checksum. */
export function metadataResource(metadata: GeneratedMetadata, checksum: ChecksumAlgorithm | undefined): Resource {
  return textResource(checksum ? createHash(checksum).update(metadata.xml).digest('hex') : metadata.xml, metadata.modified);
}

/** The resource of a lookup; NOT_FOUND (naming `display`) when there is none. */
export function found(lookup: Lookup, display: string): Resource {
  if (!lookup.resource) throw CommonErrors.NOT_FOUND(display);
  return lookup.resource;
}

export class MavenRepository {
  constructor(private readonly ctx: MavenContext) {}

  /** Resolves a file or metadata path; NOT_FOUND when it is not here. */
  async resolve(path: ResolvablePath, display: string): Promise<Resource> {
    return found(await this.lookup(path), display);
  }

  async lookup(path: ResolvablePath): Promise<Lookup> {
    if (path.kind === 'metadata') {
      const local = await localMetadata(this.ctx.store, path.dir);
      return { local: local.local, resource: local.metadata && metadataResource(local.metadata, path.checksum) };
    }
    const doc = await readArtifact(this.ctx.store, path.artifact);
    if (!doc) return { local: false };
    const file = own(own(doc.versions, path.version)?.files, path.filename);
    return { local: true, resource: file && (path.checksum ? checksumOf(file, path.checksum) : { kind: 'blob', file, source: 'local' }) };
  }

  async close(): Promise<void> {
    // Nothing to release: the store belongs to Services.
  }
}
