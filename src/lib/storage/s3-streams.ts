// Byte-level transforms of the S3 adapter: counting a streamed put body against its declared
// size, and cutting a range out of a response from a server that answered too widely.
import { Transform, type TransformCallback } from 'node:stream';

/** Counts the bytes passing through, for the ObjectInfo a streamed put returns; fails when a
 *  declared size is wrong, which would otherwise leave a PutObject request waiting for bytes. */
export class Counter extends Transform {
  bytes = 0;
  constructor(private readonly expected?: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    done(this.expected !== undefined && this.bytes > this.expected ? this.mismatch() : null, chunk);
  }
  override _flush(done: TransformCallback): void {
    done(this.expected !== undefined && this.bytes !== this.expected ? this.mismatch() : null);
  }
  private mismatch(): Error {
    return new Error(`put body is not the declared ${this.expected} bytes`);
  }
}

/** Skips `skip` bytes then passes `length` bytes: for servers that answer a range too widely. */
export class Slice extends Transform {
  constructor(private skip: number, private remaining: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const from = Math.min(this.skip, chunk.length);
    this.skip -= from;
    const part = chunk.subarray(from, from + this.remaining);
    this.remaining -= part.length;
    done(null, part.length > 0 ? part : undefined);
  }
}
