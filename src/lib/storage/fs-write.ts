// Writing objects' bytes into files with few syscalls and little garbage. A put's body arrives
// in socket chunks of up to 64 KiB; written one by one (fs.WriteStream) a 1 GiB blob cost ~16,000
// writes, each with its request objects and callbacks, and that garbage drove most of the push
// path's GC. writeBody gathers chunks into batches of about WRITE_BATCH bytes, one writev(2)
// each, one batch in flight while the next fills, so receiving and writing still overlap.
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { chunksHandedOver, releaseChunk } from '../streams/handed-over.js';
import { paceScavenges } from '../streams/scavenge-pacer.js';

/** Bytes gathered before a writev; at most two batches per upload are held (one filling, one written). */
export const WRITE_BATCH = 1024 * 1024;

/**
 * Writes the body into `handle` at its current offset, or from `position` on (positional writes:
 * an upload's data file taking one more PATCH). Returns the bytes written.
 */
export async function writeBody(handle: FileHandle, body: Readable | Buffer, position?: number): Promise<number> {
  let at = position ?? null;
  let total = 0;
  // Chunks nothing else reads are freed once written (streams/handed-over.ts); a Buffer body is the caller's.
  const release = !Buffer.isBuffer(body) && chunksHandedOver(body);
  const write = (buffers: Buffer[]): Promise<void> => {
    const size = buffers.reduce((sum, b) => sum + b.length, 0);
    const written = writeAll(handle, buffers, at, size);
    const done = release ? written.then(() => buffers.forEach(releaseChunk)) : written;
    if (at !== null) at += size;
    total += size;
    return done;
  };
  if (Buffer.isBuffer(body)) {
    await write([body]);
    return total;
  }
  let writing: Promise<void> = Promise.resolve();
  let batch: Buffer[] = [];
  let gathered = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer | string>) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      // Socket chunks already written are garbage held outside V8's heap until a scavenge; without
      // one every few MiB they piled up to ~37 MiB per push, and malloc kept most of it resident.
      paceScavenges(bytes.length);
      batch.push(bytes);
      gathered += bytes.length;
      if (gathered < WRITE_BATCH) continue;
      await writing;
      writing = write(batch);
      // Handled here so a failed write is not an unhandled rejection while the next batch
      // fills; the next `await writing` still throws it.
      writing.catch(() => undefined);
      batch = [];
      gathered = 0;
    }
  } catch (error) {
    // The body failed (client gone, limit crossed): let the write in flight end before the
    // caller closes and removes the file.
    await writing.catch(() => undefined);
    throw error;
  }
  await writing;
  if (batch.length > 0) await write(batch);
  return total;
}

async function writeAll(handle: FileHandle, buffers: Buffer[], position: number | null, total: number): Promise<void> {
  // libuv's writev loops over partial writes and IOV_MAX itself; a short count is an error.
  const { bytesWritten } = await handle.writev(buffers, position ?? undefined);
  if (bytesWritten !== total) throw Object.assign(new Error(`short write: ${bytesWritten} of ${total} bytes`), { code: 'EIO' });
}

