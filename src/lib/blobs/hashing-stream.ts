// A pass-through stream that hashes and counts bytes as they flow, and stops the flow with a
// TOO_LARGE error as soon as a size limit is crossed (so an oversized upload is never stored).
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { CommonErrors } from '../errors/catalog.js';

export type HashName = 'sha256' | 'sha512' | 'sha1' | 'md5';

export interface HashingOptions {
  algorithms: HashName[];
  /** Bytes allowed through; more fails the stream with TOO_LARGE. */
  maxSize?: number;
  /** Label used in error messages ("blob upload", "npm tarball"). */
  label?: string;
  /** A running hash of earlier bytes (an upload's previous chunks) to feed these bytes to as well. */
  feed?: Hash;
}

export class HashingStream extends Transform {
  private readonly hashes = new Map<HashName, Hash>();
  private count = 0;

  constructor(private readonly options: HashingOptions) {
    super();
    for (const name of new Set(options.algorithms)) this.hashes.set(name, createHash(name));
  }

  get size(): number {
    return this.count;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.count += chunk.length;
    if (this.options.maxSize !== undefined && this.count > this.options.maxSize) {
      callback(CommonErrors.TOO_LARGE(this.options.label ?? 'body', this.options.maxSize));
      return;
    }
    for (const hash of this.hashes.values()) hash.update(chunk);
    this.options.feed?.update(chunk);
    callback(null, chunk);
  }

  /** Hex digests, available once the stream has ended. */
  digests(): Partial<Record<HashName, string>> {
    return Object.fromEntries([...this.hashes].map(([name, hash]) => [name, hash.copy().digest('hex')]));
  }
}
