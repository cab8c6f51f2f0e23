// A pass-through stream computing BLAKE2b-256, the digest twine sends as blake2_256_digest.
import { Transform, type TransformCallback } from 'node:stream';
import { Blake2b } from './blake2b.js';

export class Blake2b256Stream extends Transform {
  private readonly hash = new Blake2b(32);
  private result: string | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    callback(null, chunk);
  }

  /** Hex digest; call once the stream has ended. */
  hex(): string {
    this.result ??= this.hash.digest().toString('hex');
    return this.result;
  }
}
