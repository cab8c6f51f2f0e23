// Serves an index file or config with ETag and Last-Modified, answering 304 to cargo's
// If-None-Match / If-Modified-Since so its local index cache stays valid without a transfer.
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface Cacheable {
  body: string;
  /** Opaque validator (e.g. a hex digest), sent quoted. */
  etag: string;
  lastModified: Date;
  type: string;
}

function matchesEtag(header: string, etag: string): boolean {
  return header.split(',').map((t) => t.trim().replace(/^W\//, '')).some((t) => t === '*' || t === etag);
}

export function sendCacheable(request: FastifyRequest, reply: FastifyReply, { body, etag, lastModified, type }: Cacheable): FastifyReply {
  const quoted = `"${etag}"`;
  reply.header('etag', quoted).header('last-modified', lastModified.toUTCString()).header('cache-control', 'no-cache');
  const ifNoneMatch = request.headers['if-none-match'];
  const ifModifiedSince = request.headers['if-modified-since'];
  const notModified = ifNoneMatch !== undefined
    ? matchesEtag(ifNoneMatch, quoted)
    : ifModifiedSince !== undefined && Math.floor(lastModified.getTime() / 1000) * 1000 <= Date.parse(ifModifiedSince);
  if (notModified) return reply.code(304).send();
  return reply.type(type).send(body);
}
