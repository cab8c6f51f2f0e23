// Blob operations of the OCI API over the shared blob store: verified writes (monolithic or by
// upload session), per-repository links, cross-repository mounts, reads with ranges, unlinking.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-blobs
import type { Readable } from 'node:stream';
import type { BlobStore, WrittenBlob } from '../blobs/blob-store.js';
import type { ByteRange, ObjectInfo } from '../storage/object-store.js';
import { isNoraError } from '../errors/nora-error.js';
import type { EventBus } from '../events/bus.js';
import { OPEN_GATE, type WriteGate } from '../formats/write-gate.js';
import type { BlobLinks } from './blob-links.js';
import { OciErrors } from './errors.js';
import { checkDigest } from './names.js';
import type { UploadState, UploadStore } from './upload-store.js';

/** How recent an upload's only chunk must be to be moved into place rather than copied. */
const ADOPT_WITHIN_MS = 60_000;

export class BlobService {
  constructor(
    private readonly blobs: BlobStore,
    private readonly links: BlobLinks,
    readonly uploads: UploadStore,
    private readonly events: EventBus,
    private readonly gate: WriteGate = OPEN_GATE,
  ) {}

  /** Size of a blob linked into `name`, or BLOB_UNKNOWN. */
  async stat(name: string, digest: string): Promise<{ digest: string; size: number }> {
    checkDigest(digest);
    const [linked, info] = await Promise.all([this.links.has(name, digest), this.blobs.stat(digest)]);
    if (!linked || !info) throw OciErrors.BLOB_UNKNOWN(name, digest);
    return { digest, size: info.size };
  }

  /** Streams a linked blob (or a range of it); BLOB_UNKNOWN when it is not in `name`. */
  async open(name: string, digest: string, range?: ByteRange): Promise<{ info: ObjectInfo; body: Readable }> {
    await this.stat(name, digest);
    return this.blobs.open(digest, range);
  }

  /** A presigned direct download URL for a linked blob when the store has them (S3), else undefined. */
  async directUrl(name: string, digest: string, ttlMs: number): Promise<string | undefined> {
    await this.stat(name, digest);
    return this.blobs.directUrl(digest, ttlMs);
  }

  /** Writes `body` as the blob `digest` and links it into `name`; nothing is visible unless the digest matches. */
  async write(name: string, body: Readable, digest: string, length?: number, actor?: string, hashedAs?: string): Promise<WrittenBlob> {
    return this.publish(name, await this.verified(body, digest, length, hashedAs), actor);
  }

  /** Writes `body` as the blob `digest`, verified, without linking it anywhere. */
  private verified(body: Readable, digest: string, length?: number, hashedAs?: string): Promise<WrittenBlob> {
    const expected = checkDigest(digest);
    return translate(() => this.blobs.write(body, { expected, ...(length === undefined ? {} : { expectedSize: length }), ...(hashedAs === undefined ? {} : { hashedAs }), label: 'blob' }));
  }

  /**
   * Publishes a blob stored from a session and removes the session, side by side: the link's
   * synced write and the session's deletes do not wait on each other. Both end before the
   * answer; the first failure is thrown. The blob is stored and verified before either starts.
   */
  private async publishAndRemove(name: string, written: WrittenBlob, state: UploadState, actor?: string): Promise<WrittenBlob> {
    const [published, removed] = await Promise.allSettled([this.publish(name, written, actor), this.uploads.remove(state)]);
    if (published.status === 'rejected') throw published.reason;
    if (removed.status === 'rejected') throw removed.reason;
    return published.value;
  }

  /** Quota check, link and event for a blob now stored. */
  private async publish(name: string, written: WrittenBlob, actor?: string): Promise<WrittenBlob> {
    // A tenant already at its quota is refused at the end of an upload; the unlinked blob goes at gc.
    await this.gate.check({ format: 'oci', name, blobs: [{ digest: written.digest, size: written.size }], countsAsPush: false, ...(actor ? { actor } : {}) });
    await this.links.link(name, written.digest, written.size);
    this.events.publish({ type: 'ArtifactPushed', artifact: { format: 'oci', name, digest: written.digest }, size: written.size, blob: true, ...(actor ? { actor } : {}) });
    return written;
  }

  /** Finishes a session as blob `digest` (after an optional last chunk); removes the session. */
  async complete(state: UploadState, digest: string, last?: { body: Readable; start?: number; length?: number }, actor?: string): Promise<WrittenBlob> {
    checkDigest(digest);
    let current = state;
    if (last && current.size === 0 && last.start === undefined) {
      // Nothing buffered yet: stream the body straight into the blob store.
      return this.publishAndRemove(state.name, await this.verified(last.body, digest, last.length), state, actor);
    }
    if (last) current = await this.uploads.append(current, last.body, { ...(last.start === undefined ? {} : { start: last.start }), ...(last.length === undefined ? {} : { length: last.length }) });
    // Hashed chunk by chunk as the PATCHes arrived on this server: no second pass over the bytes.
    const hashed = digest.startsWith('sha256:') ? this.uploads.digestSoFar(current) : undefined;
    if (hashed !== undefined && `sha256:${hashed}` !== digest) throw OciErrors.DIGEST_INVALID(`the upload's bytes have digest sha256:${hashed}, not ${digest}`);
    // Every byte in this server's data file (fs): cut, synced and moved into place.
    const placed = hashed === undefined ? undefined : await this.uploads.withDataFile(current, (key) => this.blobs.adopt(key, digest, current.size, { sha256: hashed }));
    if (placed !== undefined) return this.publishAndRemove(state.name, placed, current, actor);
    // A fresh only chunk becomes the blob by a move. The blob keeps the chunk's mtime, which gc's
    // grace window counts from, so an older chunk is copied instead (a fresh mtime, as before).
    // A data file still here (its state changed meanwhile, or another server's) is only re-read.
    const whole = hashed !== undefined && !this.uploads.inDataFile(current);
    if (whole && hashed !== undefined && current.chunks.length === 1 && this.uploads.now() - current.updated < ADOPT_WITHIN_MS) {
      const only = current.chunks[0]!;
      return this.publishAndRemove(state.name, await this.blobs.adopt(only.key, digest, only.size, { sha256: hashed }), current, actor);
    }
    return this.publishAndRemove(state.name, await this.verified(this.uploads.read(current), digest, current.size, hashed), current, actor);
  }

  /** Links a blob of `from` into `name`; false when `from` does not have it (the caller then opens a session). */
  async mount(name: string, from: string, digest: string, actor?: string): Promise<{ digest: string; size: number } | undefined> {
    const link = await this.links.get(from, digest);
    if (!link || !(await this.blobs.exists(digest))) return undefined;
    await this.links.link(name, digest, link.size);
    this.events.publish({ type: 'ArtifactPushed', artifact: { format: 'oci', name, digest }, size: link.size, blob: true, ...(actor ? { actor } : {}) });
    return link;
  }

  /** Unlinks a blob from `name` (bytes stay until GC); BLOB_UNKNOWN when it was not linked. */
  async delete(name: string, digest: string, actor?: string): Promise<void> {
    checkDigest(digest);
    if (!(await this.links.unlink(name, digest))) throw OciErrors.BLOB_UNKNOWN(name, digest);
    this.events.publish({ type: 'ArtifactDeleted', artifact: { format: 'oci', name, digest }, ...(actor ? { actor } : {}) });
  }
}

/** Blob-store failures in the spec's terms: mismatch → DIGEST_INVALID, wrong length → SIZE_INVALID. */
async function translate<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isNoraError(error)) throw error;
    if (error.code === 'DIGEST_MISMATCH') throw OciErrors.DIGEST_INVALID(error.message);
    if (error.code === 'TRUNCATED' || error.code === 'TOO_LARGE') throw OciErrors.SIZE_INVALID(error.message);
    throw error;
  }
}
