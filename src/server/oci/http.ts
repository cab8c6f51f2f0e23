// Small HTTP helpers shared by the OCI resources: absolute URLs for Location, the request body as
// a stream, declared lengths, and the Range / Content-Range forms the spec uses.
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { publicBaseUrl } from '../core/public-url.js';
import { queryInteger } from '../core/query-integer.js';
import { requestBody } from '../core/request-body.js';
import { OciErrors } from '../../lib/oci/errors.js';
import { handOverChunks } from '../../lib/streams/handed-over.js';

export const location = (request: FastifyRequest, publicUrl: string, path: string): string => `${publicBaseUrl(request, publicUrl)}${path}`;

/**
 * The request body as a stream a handler may abandon (see core/request-body.ts). Its chunks are
 * handed over (lib/streams/handed-over.ts): the OCI resources give a body to the blob and upload
 * stores only, which read each chunk once, so the fs store frees each one as soon as it is written.
 */
export const bodyOf = (request: FastifyRequest): Readable => handOverChunks(requestBody(request));

/** The declared Content-Length, or undefined (chunked encoding, or none). */
export function contentLength(request: FastifyRequest): number | undefined {
  const value = request.headers['content-length'];
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw OciErrors.SIZE_INVALID(`Content-Length ${JSON.stringify(value)} is not a byte count`);
  return n;
}

/** Whether the request carries a body at all. */
export const hasBody = (request: FastifyRequest): boolean =>
  request.headers['transfer-encoding'] !== undefined || (contentLength(request) ?? 0) > 0;

/** An upload chunk's Content-Range, "<start>-<end>" (also "bytes <start>-<end>/<total>"); inclusive. */
export function parseContentRange(header: string | undefined): { start: number; end: number } | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(header.trim());
  if (!match) throw OciErrors.BLOB_UPLOAD_INVALID(`Content-Range ${JSON.stringify(header)} is not of the form <start>-<end>`);
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (end < start) throw OciErrors.BLOB_UPLOAD_INVALID(`Content-Range ${header} ends before it starts`);
  return { start, end };
}

/** The upload's Range header value: bytes received, inclusive, "0-0" when empty (as clients expect). */
export const uploadRange = (size: number): string => `0-${Math.max(0, size - 1)}`;

/**
 * A blob GET's Range ("bytes=a-b", "bytes=a-", "bytes=-n") resolved against `size`. Undefined
 * means "send it all" (no header, or a form we do not serve such as multiple ranges);
 * RANGE_NOT_SATISFIABLE when the range lies outside the blob.
 */
export function parseByteRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) throw OciErrors.RANGE_NOT_SATISFIABLE(header, size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (match[2] !== '' && Number(match[2]) < start) return undefined;
  }
  if (start >= size || size === 0) throw OciErrors.RANGE_NOT_SATISFIABLE(header, size);
  return { start, end };
}

/** `n` of a paginated list: absent, or a non-negative integer; anything else is PAGINATION_NUMBER_INVALID. */
export function pageSize(value: unknown): number | undefined {
  return queryInteger(value, { name: 'n', min: 0, max: Number.MAX_SAFE_INTEGER }, OciErrors.PAGINATION_NUMBER_INVALID);
}

/** The Link header that points at the next page. */
export const nextLink = (path: string, n: number, last: string): string =>
  `<${path}?n=${n}&last=${encodeURIComponent(last)}>; rel="next"`;
