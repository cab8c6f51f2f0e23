// A pass-through stream computing BLAKE2b-256, the digest twine sends as blake2_256_digest
// (Node's OpenSSL offers only the 512-bit variant, so this uses blakejs).
import { Transform, type TransformCallback } from 'node:stream';
import { blake2bFinal, blake2bInit, blake2bUpdate } from 'blakejs';

export class Blake2b256Stream extends Transform {
  private readonly context = blake2bInit(32);
  private result: string | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    blake2bUpdate(this.context, chunk);
    callback(null, chunk);
  }

  /** Hex digest; call once the stream has ended. */
  hex(): string {
    this.result ??= Buffer.from(blake2bFinal(this.context)).toString('hex');
    return this.result;
  }
}
