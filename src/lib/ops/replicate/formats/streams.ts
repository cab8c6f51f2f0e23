// Request bodies built around a blob without holding it in memory: base64 inside a JSON text
// (npm publish), length-prefixed frames (cargo publish), multipart form data (PyPI upload).
import { Readable } from 'node:stream';

type Part = Buffer | string | (() => Promise<Readable>);

/** The parts in order; a function part is opened when reached, and its bytes streamed. */
export function concatParts(parts: Part[]): Readable {
  return Readable.from((async function* () {
    for (const part of parts) {
      if (typeof part === 'function') {
        for await (const chunk of await part()) yield chunk as Buffer;
      } else {
        yield typeof part === 'string' ? Buffer.from(part) : part;
      }
    }
  })(), { objectMode: false });
}

/** Base64 of a stream, chunk by chunk (a multiple of 3 bytes encoded each time). */
export async function* base64Of(body: Readable): AsyncGenerator<Buffer> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of body) {
    const all = rest.length ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    const cut = all.length - (all.length % 3);
    if (cut > 0) yield Buffer.from(all.subarray(0, cut).toString('base64'));
    rest = all.subarray(cut);
  }
  if (rest.length) yield Buffer.from(rest.toString('base64'));
}

/** Bytes of the base64 text of `size` bytes. */
export const base64Length = (size: number): number => Math.ceil(size / 3) * 4;

/** A little-endian u32, as cargo's publish frame prefixes each part. */
export function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value);
  return out;
}
