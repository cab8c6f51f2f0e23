// Content-addressed blobs over the storage port, shared by every format: one dedupe, one GC,
// one backup. A blob is written to tmp/<uuid> while its digests are computed (staged), and moved
// to blobs/<alg>/<xx>/<hex> only when the digest matches what the client declared; so a wrong,
// truncated or oversized body never becomes visible. Writers of the same blob may race: all
// succeed, one copy stays, and the store decides atomically which one created it.
//
// Deletion rule: only gc deletes under blobs/ (it takes unreferenced blobs older than its grace
// window). A request that fails removes only its own tmp/ object, never a visible blob, not even
// one it created: between its commit and its failure an identical publish may have found the
// blob there and referenced it (issue 13: refused racers deleted the winner's tarball). So
// publishes stage, validate, and commit just before writing the document that references the
// blob; what a failure after the commit leaves is an orphan that gc collects.
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ByteRange, ObjectInfo, ObjectStore } from '../storage/object-store.js';
import { listAll } from '../storage/object-store.js';
import { CommonErrors } from '../errors/catalog.js';
import { isStorageError } from '../storage/errors.js';
import { blobKey, formatDigest, parseDigest, type Digest, type DigestAlgorithm } from './digest.js';
import type { HashName } from './hashing-stream.js';
import { putHashed } from './hashed-put.js';
import { StagedBlob, type WrittenBlob } from './staged-blob.js';

export { StagedBlob, type WrittenBlob };

export const TEMP_PREFIX = 'tmp/';

export interface WriteOptions {
  /** Digest the client declared; the write fails with DIGEST_MISMATCH unless the bytes match. */
  expected?: Digest;
  /** Algorithm of the blob's address when nothing is expected (default sha256). */
  algorithm?: DigestAlgorithm;
  /** Extra hashes to compute on the way (Maven's sha1/md5, npm's sha512). */
  extraHashes?: HashName[];
  maxSize?: number;
  /** Exact length the client declared; fewer bytes is TRUNCATED, more is TOO_LARGE. */
  expectedSize?: number;
  label?: string;
  /**
   * Hex digest (of `expected`'s algorithm) the caller already computed over exactly these bytes as
   * they first arrived (an upload hashed chunk by chunk): the copy is then only counted, not hashed again.
   */
  hashedAs?: string;
}


export class BlobStore {
  constructor(private readonly store: ObjectStore) {}

  async stat(digest: Digest | string): Promise<ObjectInfo | undefined> {
    return this.store.stat(blobKey(digest));
  }

  async exists(digest: Digest | string): Promise<boolean> {
    return (await this.stat(digest)) !== undefined;
  }

  /** Streams a blob or a byte range of it; NOT_FOUND when missing. */
  async open(digest: Digest | string, range?: ByteRange): Promise<{ info: ObjectInfo; body: Readable }> {
    return this.store.get(blobKey(digest), range);
  }

  /**
   * A time-limited direct download URL for a blob when the backend offers one (S3), else
   * undefined; the caller has already checked that the blob exists and may be read.
   */
  async directUrl(digest: Digest | string, expiresInMs: number): Promise<string | undefined> {
    return this.store.presignGet?.(blobKey(digest), expiresInMs / 1000);
  }

  /** Streams `body` into the store and makes it visible under its digest once verified. */
  async write(body: Readable, options: WriteOptions = {}): Promise<WrittenBlob> {
    return (await this.stage(body, options)).commit();
  }

  /**
   * Streams `body` into tmp/ and verifies it, without making it visible: the caller commits it
   * once its own checks pass, or discards it. A failure here leaves nothing behind.
   */
  async stage(body: Readable, options: WriteOptions = {}): Promise<StagedBlob> {
    const algorithm = options.expected?.algorithm ?? options.algorithm ?? 'sha256';
    const maxSize = options.expectedSize ?? options.maxSize;
    const temp = `${TEMP_PREFIX}${randomUUID()}`;
    const algorithms: HashName[] = options.hashedAs === undefined ? [algorithm] : [];
    const hashing = await putHashed(this.store, temp, body, { algorithms: [...algorithms, ...(options.extraHashes ?? [])], ...(maxSize === undefined ? {} : { maxSize }), label: options.label ?? 'blob' });
    try {
      if (options.expectedSize !== undefined && hashing.size !== options.expectedSize) {
        throw CommonErrors.TRUNCATED(options.label ?? 'blob', options.expectedSize, hashing.size);
      }
      const hashes = { ...hashing.digests(), ...(options.hashedAs === undefined ? {} : { [algorithm]: options.hashedAs }) };
      const digest: Digest = { algorithm, hex: hashes[algorithm]! };
      if (options.expected && options.expected.hex !== digest.hex) {
        throw CommonErrors.DIGEST_MISMATCH(formatDigest(options.expected), formatDigest(digest));
      }
      return new StagedBlob(this.store, temp, formatDigest(digest), hashing.size, hashes);
    } catch (error) {
      await this.store.delete(temp).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Makes the object at `key` (bytes the caller hashed as they arrived, e.g. an upload's only
   * chunk) the blob `digest`, by a move instead of a copy; the object is gone afterwards either way.
   */
  async adopt(key: string, digest: string, size: number, hashes: Partial<Record<HashName, string>>): Promise<WrittenBlob> {
    return new StagedBlob(this.store, key, digest, size, hashes).commit();
  }

  /** Every stored blob with its digest; used by GC, backup and migrate. */
  async *list(): AsyncGenerator<{ digest: string; info: ObjectInfo }> {
    for await (const info of listAll(this.store, 'blobs/')) {
      const [, algorithm, , hex] = info.key.split('/');
      const digest = `${algorithm}:${hex}`;
      if (parseDigest(digest)) yield { digest, info };
    }
  }

  /** Removes abandoned temp objects older than `olderThanMs` (crashed or cut-off writes). */
  async sweepTemp(olderThanMs: number, now = Date.now()): Promise<number> {
    let removed = 0;
    for await (const info of listAll(this.store, TEMP_PREFIX)) {
      if (now - info.modified.getTime() > olderThanMs) {
        try {
          if (await this.store.delete(info.key)) removed++;
        } catch (error) {
          if (!isStorageError(error, 'NOT_FOUND')) throw error;
        }
      }
    }
    return removed;
  }
}
