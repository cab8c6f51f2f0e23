// Small helpers shared by adapters: draining a put body, slicing buffers by range.
import { Readable } from 'node:stream';
import type { ByteRange } from './object-store.js';
import { RangeNotSatisfiable } from './errors.js';
import { BytesBody } from './bytes-body.js';

/** A body's bytes; a body read whole already (BytesBody) is not streamed again. */
export async function collect(body: Readable | Buffer): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof BytesBody && body.readableFlowing === null && !body.readableDidRead) return body.bytes;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Validates a range against an object's size and returns the inclusive end. */
export function resolveRange(key: string, size: number, range: ByteRange): { start: number; end: number } {
  const end = range.end === undefined ? size - 1 : Math.min(range.end, size - 1);
  if (range.start < 0 || range.start >= size || end < range.start) throw RangeNotSatisfiable(key, size);
  return { start: range.start, end };
}

export function toReadable(body: Readable | Buffer): Readable {
  return Buffer.isBuffer(body) ? Readable.from([body]) : body;
}
