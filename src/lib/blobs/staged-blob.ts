// A blob whose bytes are verified and stored under tmp/, not yet visible under its digest. A
// publish stages its file, checks everything it can (other digests, archive contents, the
// request's metadata), and commits only then: a refused publish discards its own tmp/ object and
// leaves blobs/ as it was.
import type { Readable } from 'node:stream';
import type { ByteRange, ObjectInfo, ObjectStore } from '../storage/object-store.js';
import { isStorageError, StorageUnavailable } from '../storage/errors.js';
import { blobKey } from './digest.js';
import type { HashName } from './hashing-stream.js';

export interface WrittenBlob {
  digest: string;
  size: number;
  /** Hex digests of every algorithm computed (always includes the address algorithm). */
  hashes: Partial<Record<HashName, string>>;
  /**
   * True when this write created the blob, decided atomically by the store (a no-replace move);
   * false when it was already there. On S3-compatible servers that ignore If-None-Match on copies
   * two racing writers may both see true. Informational only: see blob-store.ts on deletion.
   */
  created: boolean;
}

/** Attempts of the no-replace move; each refusal is re-checked, since the winner may vanish (gc). */
const COMMIT_ATTEMPTS = 4;

export class StagedBlob {
  private committed: WrittenBlob | undefined;

  constructor(
    private readonly store: ObjectStore,
    private readonly temp: string,
    readonly digest: string,
    readonly size: number,
    readonly hashes: Partial<Record<HashName, string>>,
  ) {}

  /** Streams the staged bytes, or a range of them (to inspect an archive before committing). */
  open(range?: ByteRange): Promise<{ info: ObjectInfo; body: Readable }> {
    return this.store.get(this.temp, range);
  }

  /**
   * Makes the bytes visible under their digest; idempotent. When an identical blob is already
   * there, the staged copy is dropped and `created` is false. Concurrent commits of one digest
   * all succeed, and the store lets exactly one of them create it. A failure discards the copy.
   */
  async commit(): Promise<WrittenBlob> {
    try {
      return await this.place();
    } catch (error) {
      await this.discard().catch(() => undefined);
      throw error;
    }
  }

  private async place(): Promise<WrittenBlob> {
    if (this.committed) return this.committed;
    const key = blobKey(this.digest);
    const blob = { digest: this.digest, size: this.size, hashes: this.hashes };
    for (let attempt = 1; ; attempt++) {
      // Only a shortcut (the move below decides), worth its request on S3, where a no-replace move
      // copies the bytes first. Elsewhere the move is a link(2) or a map entry that refuses an
      // existing blob as cheaply as a stat answers, so a new blob (the usual push) skips the stat;
      // a refused move comes back here and the stat then tells a present blob from a vanished one.
      if ((attempt > 1 || this.store.kind === 's3') && await this.store.stat(key)) {
        await this.discard();
        return (this.committed = { ...blob, created: false });
      }
      try {
        await this.store.move(this.temp, key, { ifNoneMatch: '*' });
        return (this.committed = { ...blob, created: true });
      } catch (error) {
        if (!isStorageError(error, 'PRECONDITION_FAILED')) throw error;
        if (attempt === COMMIT_ATTEMPTS) throw StorageUnavailable(`could not store blob ${this.digest}: concurrent writers kept conflicting`, error);
      }
    }
  }

  /** Removes this writer's own tmp/ object; idempotent, a no-op after commit. Never touches blobs/. */
  async discard(): Promise<void> {
    await this.store.delete(this.temp);
  }
}
