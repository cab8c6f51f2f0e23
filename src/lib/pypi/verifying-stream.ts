// Passes bytes through while hashing them, but holds back the last chunk until the end: if the
// sha256 does not match, the stream fails before the final bytes are released, so a client
// reading it never receives a complete file that failed verification.
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export class VerifyingStream extends Transform {
  private readonly hash = createHash('sha256');
  private held: Buffer | undefined;

  constructor(private readonly expectedSha256: string, private readonly onMismatch: () => Error) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    const previous = this.held;
    this.held = chunk;
    callback(null, previous);
  }

  override _flush(callback: TransformCallback): void {
    if (this.hash.digest('hex') !== this.expectedSha256) {
      callback(this.onMismatch());
      return;
    }
    callback(null, this.held);
  }
}
