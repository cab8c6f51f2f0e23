// A pass-through that withholds the final chunk until a verdict arrives: released, the stream
// ends normally; failed, it errors instead. A client reading a tarball that is being verified
// while it streams therefore never receives a complete body of bytes that fail verification.
import { Transform, type TransformCallback } from 'node:stream';

export class HoldLast extends Transform {
  private held: Buffer | undefined;
  private settle!: { release: () => void; fail: (error: Error) => void };
  private readonly verdict: Promise<void>;

  constructor() {
    super();
    this.verdict = new Promise<void>((resolve, reject) => { this.settle = { release: resolve, fail: reject }; });
    this.verdict.catch(() => undefined);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.held) this.push(this.held);
    this.held = chunk;
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.verdict.then(() => {
      if (this.held) this.push(this.held);
      callback();
    }, (error: Error) => callback(error));
  }

  release(): void {
    this.settle.release();
  }

  /** Fails now: pending and future reads error with `error`. */
  fail(error: Error): void {
    this.settle.fail(error);
    this.destroy(error);
  }
}
