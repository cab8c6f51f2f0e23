// Chunks handed over to the store's writer. A socket read is a fresh 64 KiB Buffer with its own
// memory, which V8 frees only once a GC finds the Buffer dead; during a blob push thousands of
// them wait for that, and glibc's heap grew to ~20 MiB and stayed there. When a stream's chunks
// are read by nothing but the one writer, and by nothing after it, the writer frees each chunk
// as soon as it is on disk (releaseChunk) and the next socket read reuses that memory: the heap
// stayed at ~7 MiB and the push took half the CPU (scripts/bench/oci.mjs, 3 x 512 MiB pushes).
import type { Readable } from 'node:stream';

const handedOver = new WeakSet<Readable>();

/** Marks `stream`: its chunks are read by its one consumer only, and by nothing once that consumer is done with them. */
export function handOverChunks<T extends Readable>(stream: T): T {
  handedOver.add(stream);
  return stream;
}

/** Marks `to` as handed over when `from` is: `to` passes on `from`'s chunks and keeps none (a hashing pass-through). */
export function passHandOver<T extends Readable>(from: Readable, to: T): T {
  if (handedOver.has(from)) handedOver.add(to);
  return to;
}

export function chunksHandedOver(stream: Readable): boolean {
  return handedOver.has(stream);
}

type Transferable = ArrayBuffer & { transfer(length?: number): ArrayBuffer };

/**
 * Frees the memory behind `chunk` now, when the chunk spans its whole ArrayBuffer (a socket read);
 * a slice of a shared pool or of a larger buffer is left to the GC. The chunk reads as empty after.
 */
export function releaseChunk(chunk: Buffer): void {
  const memory = chunk.buffer;
  if (chunk.byteOffset !== 0 || memory.byteLength !== chunk.length || !(memory instanceof ArrayBuffer)) return;
  // Detaching an ArrayBuffer (transfer to length 0) drops its backing store at once.
  (memory as Transferable).transfer(0);
}
