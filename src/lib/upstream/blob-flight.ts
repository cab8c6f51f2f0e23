// One upstream download shared by every client that asks for it while it runs: verify while
// streaming. The upstream body is written once into the blob store (verified against its digest
// there, and against `expected` checksums on the way: nothing is visible unless complete and
// correct) and each reader streams the bytes as they arrive. Recent bytes are kept in a bounded
// window; a reader that falls behind it (or joins late) continues from the stored blob once it
// is committed. A reader gets its last byte only after the blob is verified, and if the download
// fails every reader — the first and every one that joined — is destroyed with the error, so no
// client ever takes truncated or wrong bytes as a complete file.
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { VerifyingStream, type ChecksumAlgorithm, type ChecksumMismatch, type ExpectedChecksums } from '../streams/verifying-stream.js';

export interface FlightOptions {
  /** Size the upstream announced (Content-Length), when it did. */
  size: number | undefined;
  /** Bytes of recent data kept for readers (beyond it, readers wait for the stored blob). */
  windowBytes: number;
  /** Writes the bytes into the store; resolves once the blob is verified and visible. */
  commit: (body: Readable) => Promise<unknown>;
  /** Opens the committed blob from byte `start` to `end` (inclusive). */
  openStored: (start: number, end: number | undefined) => Promise<Readable>;
  /** Called with each chunk as it arrives (metrics). */
  onBytes?: (n: number) => void;
  /** Turns the cause of a failed download into the error readers get (default: the cause). */
  failure?: (cause: Error) => Error;
  /**
   * Checksums the bytes must match before their last chunk reaches the store or a reader; while
   * they are still being fetched, `algorithms` names those they may hold.
   */
  expected?: { checksums: ExpectedChecksums | Promise<ExpectedChecksums>; algorithms?: ChecksumAlgorithm[]; mismatch: ChecksumMismatch } | undefined;
  /** Called once the download settles, before any reader learns the outcome. */
  onSettle?: () => void;
}

export class BlobFlight {
  readonly size: number | undefined;
  /** Settles when the blob is committed (or the download failed); never rejects unhandled. */
  readonly done: Promise<void>;
  private chunks: Buffer[] = [];
  private windowStart = 0;
  private received = 0;
  private state: 'running' | 'done' | 'failed' = 'running';
  private error: Error | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(source: Readable, private readonly options: FlightOptions) {
    this.size = options.size;
    const tap = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.append(chunk);
        callback(null, chunk);
      },
    });
    const { expected } = options;
    const copied = expected ? pipeline(source, new VerifyingStream(expected.checksums, expected.mismatch, expected.algorithms), tap) : pipeline(source, tap);
    this.done = Promise.all([copied, options.commit(tap)]).then(
      () => this.settle('done'),
      (error: unknown) => {
        tap.destroy();
        source.destroy();
        const cause = error instanceof Error ? error : new Error(String(error));
        this.settle('failed', options.failure ? options.failure(cause) : cause);
      },
    );
  }

  /** Why the download failed, once it has. */
  get failure(): Error | undefined {
    return this.error;
  }

  private append(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.received += chunk.length;
    this.options.onBytes?.(chunk.length);
    while (this.chunks.length > 1 && this.received - this.windowStart > this.options.windowBytes) {
      this.windowStart += this.chunks.shift()!.length;
    }
    this.wake();
  }

  private settle(state: 'done' | 'failed', error?: Error): void {
    this.options.onSettle?.();
    this.state = state;
    this.error = error;
    if (state === 'failed') this.chunks = [];
    this.wake();
  }

  private wake(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const waiter of waiting) waiter();
  }

  /** A stream of bytes `start`..`end` (inclusive; default the whole blob). */
  reader(start = 0, end?: number): Readable {
    const limit = end === undefined ? Infinity : end + 1;
    let position = start;
    let stored: Readable | undefined;
    let opening = false;
    const switchToStored = (): void => {
      opening = true;
      this.options.openStored(position, limit === Infinity ? undefined : limit - 1).then((body) => {
        opening = false;
        stored = body;
        body.on('data', (chunk: Buffer) => { if (!out.push(chunk)) body.pause(); });
        body.once('end', () => out.push(null));
        body.once('error', (error) => out.destroy(error));
      }, (error: unknown) => out.destroy(error as Error));
    };
    const pump = (): void => {
      if (out.destroyed || stored || opening) return;
      for (;;) {
        if (this.state === 'failed') { out.destroy(this.error); return; }
        if (position >= limit) { out.push(null); return; }
        const done = this.state === 'done';
        if (position < this.windowStart) {
          if (done) switchToStored();
          else this.waiters.add(pump);
          return;
        }
        // The last byte is held back until the blob is verified.
        const available = done ? this.received : this.received - 1;
        if (position >= available) {
          if (done) out.push(null);
          else this.waiters.add(pump);
          return;
        }
        const piece = this.slice(position, Math.min(available, limit));
        position += piece.length;
        if (!out.push(piece)) return;
      }
    };
    const out: Readable = new Readable({
      read: () => {
        if (stored) stored.resume();
        else pump();
      },
      destroy: (error, callback) => {
        stored?.destroy();
        callback(error);
      },
    });
    return out;
  }

  /** Bytes from `from` up to `to` (exclusive) within one retained chunk. */
  private slice(from: number, to: number): Buffer {
    let offset = this.windowStart;
    for (const chunk of this.chunks) {
      if (from < offset + chunk.length) return chunk.subarray(from - offset, Math.min(chunk.length, to - offset));
      offset += chunk.length;
    }
    return Buffer.alloc(0);
  }
}
