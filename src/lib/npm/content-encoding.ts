// The Content-Encoding of an npm request body (RFC 9110 §8.4): gzip (x-gzip), deflate and br are
// decoded while the body streams, identity is the bytes as sent, and any other coding (or a
// stack of several) is refused with 415 before a byte is read. A body that is not what its
// coding says is NPM_BAD_ENCODING (400). The encoded bytes are capped too, so a stream of empty
// compressed blocks cannot run on forever; the decoded ones are the reader's to cap.
import type { Readable, Transform } from 'node:stream';
import { CommonErrors } from '../errors/catalog.js';
import { isNoraError } from '../errors/nora-error.js';
import { NpmErrors } from './errors.js';

// node:zlib loads on first use, not at every start (issue 23).
const zlib = () => process.getBuiltinModule('node:zlib');
const DECODERS: Record<string, () => Transform> = { gzip: () => zlib().createGunzip(), 'x-gzip': () => zlib().createGunzip(), deflate: () => zlib().createInflate(), br: () => zlib().createBrotliDecompress() };

/**
 * The decoded bytes of `body` (a stream the caller may abandon: stopping early destroys it);
 * throws NPM_UNSUPPORTED_ENCODING at once for a coding it cannot decode.
 */
export function decodeBody(body: Readable, header: string | undefined, maxEncoded: number): AsyncIterable<Buffer> {
  const codings = (header ?? '').split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return body;
  const coding = codings[0]!;
  const make = codings.length === 1 && Object.hasOwn(DECODERS, coding) ? DECODERS[coding] : undefined;
  if (!make) throw NpmErrors.UNSUPPORTED_ENCODING(header!, Object.keys(DECODERS));
  return decoded(body, make(), coding, maxEncoded);
}

async function* decoded(body: Readable, decoder: Transform, coding: string, maxEncoded: number): AsyncGenerator<Buffer> {
  let received = 0;
  let bodyFailure: unknown;
  body.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > maxEncoded) decoder.destroy(CommonErrors.TOO_LARGE('npm request body', maxEncoded));
  });
  body.on('error', (error) => decoder.destroy(bodyFailure = error));
  body.pipe(decoder);
  try {
    for await (const chunk of decoder) yield chunk as Buffer;
  } catch (error) {
    if (isNoraError(error) || error === bodyFailure) throw error;
    throw NpmErrors.BAD_ENCODING(coding, (error as Error).message);
  } finally {
    body.unpipe(decoder);
    body.destroy();
  }
}
