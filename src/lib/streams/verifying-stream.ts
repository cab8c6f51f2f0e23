// A pass-through that checks the bytes against expected checksums and withholds the final chunk
// until they match: on a mismatch the stream fails before its end, so neither the blob store
// (which then discards its temp object) nor a client being streamed to ever receives a complete
// wrong file. The checksums may still be on their way (a promise): the bytes flow meanwhile, and
// only the last chunk waits for them.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** The hashes upstreams publish for their files. */
export type ChecksumAlgorithm = 'md5' | 'sha1' | 'sha256' | 'sha512';
/** Hex digests the bytes must have, by algorithm. */
export type ExpectedChecksums = Partial<Record<ChecksumAlgorithm, string>>;
/** Builds the error for the first algorithm whose digest differs. */
export type ChecksumMismatch = (algorithm: ChecksumAlgorithm, expected: string, actual: string) => Error;

export class VerifyingStream extends Transform {
  private readonly hashes: Array<[ChecksumAlgorithm, Hash]>;
  private held: Buffer | undefined;

  /** With a promise, `algorithms` names every algorithm it may hold. */
  constructor(private readonly expected: ExpectedChecksums | Promise<ExpectedChecksums>, private readonly mismatch: ChecksumMismatch,
    algorithms = Object.keys(expected) as ChecksumAlgorithm[]) {
    super();
    this.hashes = algorithms.map((algorithm) => [algorithm, createHash(algorithm)]);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    for (const [, hash] of this.hashes) hash.update(chunk);
    const previous = this.held;
    this.held = chunk;
    callback(null, previous);
  }

  override _flush(callback: TransformCallback): void {
    Promise.resolve(this.expected).then((expected) => {
      for (const [algorithm, hash] of this.hashes) {
        const actual = hash.digest('hex');
        const wanted = expected[algorithm];
        if (wanted !== undefined && actual !== wanted) {
          callback(this.mismatch(algorithm, wanted, actual));
          return;
        }
      }
      callback(null, this.held);
    }, (error: Error) => callback(error));
  }
}
