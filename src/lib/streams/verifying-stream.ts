// A pass-through that checks the bytes against checksums known in advance and withholds the
// final chunk until they match: on a mismatch the stream fails before its end, so neither the
// blob store (which then discards its temp object) nor a client being streamed to ever receives
// a complete wrong file.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** The hashes upstreams publish for their files. */
export type ChecksumAlgorithm = 'md5' | 'sha1' | 'sha256' | 'sha512';
/** Hex digests the bytes must have, by algorithm. */
export type ExpectedChecksums = Partial<Record<ChecksumAlgorithm, string>>;
/** Builds the error for the first algorithm whose digest differs. */
export type ChecksumMismatch = (algorithm: ChecksumAlgorithm, expected: string, actual: string) => Error;

export class VerifyingStream extends Transform {
  private readonly hashes: Array<[ChecksumAlgorithm, string, Hash]>;
  private held: Buffer | undefined;

  constructor(expected: ExpectedChecksums, private readonly mismatch: ChecksumMismatch) {
    super();
    this.hashes = Object.entries(expected).map(([algorithm, hex]) => [algorithm as ChecksumAlgorithm, hex, createHash(algorithm)]);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    for (const [, , hash] of this.hashes) hash.update(chunk);
    const previous = this.held;
    this.held = chunk;
    callback(null, previous);
  }

  override _flush(callback: TransformCallback): void {
    for (const [algorithm, expected, hash] of this.hashes) {
      const actual = hash.digest('hex');
      if (actual !== expected) {
        callback(this.mismatch(algorithm, expected, actual));
        return;
      }
    }
    callback(null, this.held);
  }
}
