// The body of `cargo publish`: u32le JSON length, the JSON metadata, u32le .crate length, the
// .crate bytes (https://doc.rust-lang.org/cargo/reference/registry-web-api.html#publish).
// Lengths are checked against limits (and Content-Length, when sent) before anything is read
// or stored; the .crate is streamed, never buffered, and a body that is shorter or longer than
// its lengths say fails the stream, so the blob write aborts and nothing becomes visible.
import { CommonErrors } from '../errors/catalog.js';
import { CargoErrors } from './errors.js';

/** Pulls exact byte counts out of a chunked source. */
export class ByteReader {
  private chunks: Buffer[] = [];
  private length = 0;
  private ended = false;

  constructor(private readonly source: AsyncIterator<Buffer | Uint8Array | string>) {}

  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.source.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    this.chunks.push(chunk);
    this.length += chunk.length;
    return true;
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = n < all.length ? [all.subarray(n)] : [];
    this.length -= n;
    return all.subarray(0, n);
  }

  /** Exactly `n` bytes; INVALID_FRAME when the body ends first. */
  async readExact(n: number, what: string): Promise<Buffer> {
    while (this.length < n) {
      if (!(await this.fill())) throw CargoErrors.INVALID_FRAME(`${what} ended after ${this.length} of ${n} bytes`);
    }
    return this.take(n);
  }

  /** The next `n` bytes as they arrive, then a check that the body ends there. */
  async *streamExact(n: number, what: string): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.length === 0 && !(await this.fill())) throw CargoErrors.INVALID_FRAME(`${what} ended after ${n - left} of ${n} bytes`);
      const first = this.chunks[0]!;
      const piece = this.take(Math.min(left, first.length));
      left -= piece.length;
      yield piece;
    }
    if (!(await this.atEnd())) throw CargoErrors.INVALID_FRAME(`unexpected bytes after the ${n}-byte ${what}`);
  }

  /**
   * Reads and drops the rest of the body, up to `limit` bytes; false when more is left (or the
   * body failed). Lets a refused request end cleanly so its keep-alive connection stays usable.
   */
  async discard(limit: number): Promise<boolean> {
    let dropped = this.length;
    this.chunks = [];
    this.length = 0;
    try {
      while (dropped <= limit) {
        const next = await this.source.next();
        if (next.done) return true;
        dropped += next.value.length;
      }
      return false;
    } catch {
      return false;
    }
  }

  async atEnd(): Promise<boolean> {
    while (this.length === 0) {
      if (!(await this.fill())) return true;
    }
    return false;
  }
}

export interface FrameLimits {
  maxMetadataSize: number;
  maxCrateSize: number;
}

export interface PublishFrame {
  /** The parsed JSON metadata (not yet validated). */
  metadata: unknown;
  crateLength: number;
  /** The .crate bytes; fails if the body is shorter or longer than declared. */
  crate: AsyncGenerator<Buffer>;
}

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/** Reads the frame up to the .crate bytes; `contentLength` is the request's, when it sent one. */
export async function readPublishFrame(reader: ByteReader, limits: FrameLimits, contentLength?: number): Promise<PublishFrame> {
  if (contentLength !== undefined && contentLength < 8) throw CargoErrors.INVALID_FRAME(`a ${contentLength}-byte body cannot hold the two length fields`);
  const jsonLength = (await reader.readExact(4, 'metadata length')).readUInt32LE(0);
  if (jsonLength > limits.maxMetadataSize) throw CommonErrors.TOO_LARGE('publish metadata', limits.maxMetadataSize);
  if (contentLength !== undefined && 8 + jsonLength > contentLength) {
    throw CargoErrors.INVALID_FRAME(`metadata length ${jsonLength} does not fit in the ${contentLength}-byte body`);
  }
  const json = await reader.readExact(jsonLength, 'metadata');
  let metadata: unknown;
  try {
    metadata = JSON.parse(json.toString('utf8'));
  } catch (error) {
    throw CargoErrors.INVALID_METADATA(`not JSON (${(error as Error).message})`);
  }
  const crateLength = (await reader.readExact(4, '.crate length')).readUInt32LE(0);
  if (crateLength > limits.maxCrateSize) throw CommonErrors.TOO_LARGE('.crate file', limits.maxCrateSize);
  if (contentLength !== undefined && 8 + jsonLength + crateLength !== contentLength) {
    throw CargoErrors.INVALID_FRAME(`the lengths inside add up to ${8 + jsonLength + crateLength} bytes but Content-Length is ${contentLength}`);
  }
  if (crateLength < GZIP_MAGIC.length) throw CargoErrors.INVALID_FRAME(`a ${crateLength}-byte .crate cannot be a gzip archive`);
  return { metadata, crateLength, crate: checkedCrate(reader, crateLength) };
}

async function* checkedCrate(reader: ByteReader, length: number): AsyncGenerator<Buffer> {
  const head = await reader.readExact(GZIP_MAGIC.length, '.crate');
  if (!head.equals(GZIP_MAGIC)) throw CargoErrors.INVALID_FRAME('the .crate is not a gzip archive');
  yield head;
  yield* reader.streamExact(length - GZIP_MAGIC.length, '.crate');
}
