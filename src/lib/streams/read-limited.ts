// Reads a small body whole (a checksum file, an index file, a manifest) with a hard byte limit:
// past `limit` the body is destroyed and `tooLarge()` is thrown, so no client or upstream can
// make NORA buffer more than the limit. Request bodies come as server/core/request-body.ts
// views, so destroying one never resets the client's connection: the error handler answers,
// then drains or closes it.
import type { Readable } from 'node:stream';
import { CommonErrors } from '../errors/catalog.js';

export async function readLimited(body: Readable, limit: number, what: string, tooLarge: () => Error = () => CommonErrors.TOO_LARGE(what, limit)): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
