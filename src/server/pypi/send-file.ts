// Sends a stored blob as a download: strong ETag (its sha256), conditional GET (304), single
// byte ranges (206, or 416 with the size), HEAD without a body. RFC 9110 sections 13 and 14.
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BlobStore } from '../../lib/blobs/blob-store.js';
import { CommonErrors } from '../../lib/errors/catalog.js';
import type { ByteRange } from '../../lib/storage/object-store.js';

/** Parses a single `bytes=` range against `size`; 'ignore' for forms we answer in full, 'unsatisfiable' past the end. */
export function parseRange(header: string | undefined, size: number): ByteRange | 'ignore' | 'unsatisfiable' {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return 'ignore';
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

export async function sendBlob(request: FastifyRequest, reply: FastifyReply, blobs: BlobStore, digest: string, contentType: string): Promise<FastifyReply> {
  const etag = `"${digest.split(':')[1]}"`;
  reply.header('etag', etag).header('accept-ranges', 'bytes').header('content-type', contentType).header('cache-control', 'public, max-age=31536000, immutable');
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*')) {
    return reply.code(304).send();
  }
  const info = await blobs.stat(digest);
  if (!info) throw CommonErrors.NOT_FOUND(request.url.split('?', 1)[0]!);
  const ifRange = request.headers['if-range'];
  const range = ifRange && ifRange !== etag ? 'ignore' : parseRange(request.headers.range, info.size);
  if (range === 'unsatisfiable') {
    return reply.code(416).header('content-range', `bytes */${info.size}`).header('content-type', 'text/plain; charset=utf-8').send(`requested range is outside the file (${info.size} bytes)\n`);
  }
  const partial = range !== 'ignore';
  const length = partial ? range.end! - range.start + 1 : info.size;
  if (partial) reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${info.size}`);
  reply.header('content-length', length);
  // An empty stream, so fastify's HEAD handling keeps the Content-Length set above.
  if (request.method === 'HEAD' || length === 0) return reply.send(Readable.from([]));
  const { body } = await blobs.open(digest, partial ? range : undefined);
  return reply.send(body);
}
