// Manifests of one repository by digest: the exact bytes pushed are a blob in the shared blob
// store, and a record per repository holds what serving and referrers need. A record is written
// only after every blob and child manifest it references is in the repository, and before any
// tag names it, so a tag never points at a broken manifest.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { BlobStore } from '../blobs/blob-store.js';
import type { DigestAlgorithm } from '../blobs/digest.js';
import type { ObjectStore } from '../storage/object-store.js';
import { readDocument, writeDocument } from '../storage/documents.js';
import type { BlobLinks } from './blob-links.js';
import { OciErrors } from './errors.js';
import { layout } from './layout.js';
import { parseManifest, type Descriptor, type ParsedManifest } from './manifest.js';
import type { RepoSummaries } from './repo-summary.js';

export interface ManifestRecord {
  digest: string;
  mediaType: string;
  size: number;
  artifactType?: string;
  subject?: string;
  annotations?: Record<string, string>;
  /** Never stored: "stale" on a record the pull-through cache serves while its upstream fails. */
  cacheStatus?: 'stale';
}

export interface StoredManifest {
  record: ManifestRecord;
  parsed: ParsedManifest;
  /** False when this exact manifest was already in the repository. */
  created: boolean;
}

export class ManifestStore {
  constructor(
    private readonly store: ObjectStore,
    private readonly blobs: BlobStore,
    private readonly links: BlobLinks,
    private readonly summaries: RepoSummaries,
  ) {}

  async get(name: string, digest: string): Promise<ManifestRecord | undefined> {
    return (await readDocument<ManifestRecord>(this.store, layout.manifest(name, digest)))?.value;
  }

  /**
   * Validates and stores `bytes` under its digest (in `algorithm`). Throws MANIFEST_INVALID,
   * MANIFEST_BLOB_UNKNOWN naming the first missing reference, or DIGEST_INVALID when
   * `expectedDigest` is given and differs. Idempotent for identical bytes. `lazyReferences`
   * skips the reference check (cached upstream manifests, whose blobs arrive on demand).
   * `summaryLater`: a created record's summary update is left to the caller (RepoSummaries.changed).
   */
  async put(name: string, bytes: Buffer, contentType: string | undefined, options: { algorithm?: DigestAlgorithm; expectedDigest?: string; lazyReferences?: boolean; summaryLater?: boolean } = {}): Promise<StoredManifest> {
    const parsed = parseManifest(bytes, contentType);
    const algorithm = options.algorithm ?? 'sha256';
    const digest = `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
    if (options.expectedDigest !== undefined && options.expectedDigest !== digest) {
      throw OciErrors.DIGEST_INVALID(`the manifest was pushed as ${options.expectedDigest} but its bytes hash to ${digest}`);
    }
    if (!options.lazyReferences) await this.checkReferences(name, parsed);
    const existing = await this.get(name, digest);
    if (!(await this.blobs.exists(digest))) {
      await this.blobs.write(Readable.from([bytes]), { expected: { algorithm, hex: digest.slice(algorithm.length + 1) }, label: 'manifest' });
    }
    const record: ManifestRecord = {
      digest, mediaType: parsed.mediaType, size: bytes.length,
      ...(parsed.artifactType ? { artifactType: parsed.artifactType } : {}),
      ...(parsed.subject ? { subject: parsed.subject.digest } : {}),
      ...(parsed.annotations ? { annotations: parsed.annotations } : {}),
    };
    if (!existing) {
      await writeDocument(this.store, layout.manifest(name, digest), record);
      // summaryLater: the caller updates the summary itself, with the tag it sets next.
      if (!options.summaryLater) await this.summaries.manifestChanged(name, digest);
    }
    return { record, parsed, created: !existing };
  }

  /**
   * MANIFEST_BLOB_UNKNOWN naming the first blob or child manifest not in the repository, then
   * MANIFEST_INVALID naming the first whose declared size is not the stored one. A blob's size
   * is its link's (recorded from the verified write); a child's is its record's.
   */
  private async checkReferences(name: string, parsed: ParsedManifest): Promise<void> {
    const [blobSizes, manifestSizes] = await Promise.all([
      Promise.all(parsed.blobs.map(async (d) => (await this.links.get(name, d.digest))?.size)),
      Promise.all(parsed.manifests.map(async (d) => (await this.get(name, d.digest))?.size)),
    ]);
    const references = [...parsed.blobs, ...parsed.manifests];
    const stored = [...blobSizes, ...manifestSizes];
    const missing = references.find((_d, i) => stored[i] === undefined);
    if (missing) throw OciErrors.MANIFEST_BLOB_UNKNOWN(name, missing.digest);
    const wrong = references.findIndex((d, i) => d.size !== stored[i]);
    if (wrong >= 0) throw OciErrors.MANIFEST_SIZE_MISMATCH(references[wrong]!.field, references[wrong]!.digest, references[wrong]!.size, stored[wrong]!);
  }

  /** The descriptor a referrers index lists for this manifest. */
  static descriptor(record: ManifestRecord): Descriptor {
    return {
      mediaType: record.mediaType, digest: record.digest, size: record.size,
      ...(record.artifactType ? { artifactType: record.artifactType } : {}),
      ...(record.annotations ? { annotations: record.annotations } : {}),
    };
  }

  /** Removes the repository's record (the bytes stay for GC); false when it was not there. */
  async delete(name: string, digest: string): Promise<boolean> {
    const deleted = await this.store.delete(layout.manifest(name, digest));
    await this.summaries.manifestChanged(name, digest);
    return deleted;
  }
}
