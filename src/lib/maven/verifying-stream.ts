// A pass-through that checks the bytes against checksums known in advance and withholds the
// final chunk until they match: on a mismatch the stream fails before its end, so neither the
// blob store (which then discards its temp object) nor a client being streamed to ever receives
// a complete wrong file.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { ChecksumAlgorithm } from './coordinates.js';

export type ExpectedChecksums = Partial<Record<ChecksumAlgorithm, string>>;

export class VerifyingStream extends Transform {
  private readonly hashes: Array<[ChecksumAlgorithm, string, Hash]>;
  private held: Buffer | undefined;

  /** `mismatch` builds the error for the first algorithm whose digest differs. */
  constructor(expected: ExpectedChecksums, private readonly mismatch: (algorithm: ChecksumAlgorithm, expected: string, actual: string) => Error) {
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
