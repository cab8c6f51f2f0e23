// The request body as a stream handlers may abandon. In Node, destroying a server request
// destroys its socket (or, through pipeline/for-await, detaches it and leaves the connection
// stuck), so a handler that refused a body midway — too large, malformed, store full — used to
// reset the client before it saw the answer. Handlers read a view piped from the request
// instead: giving up destroys only the view, and the error handler (core/error-handler.ts)
// drains the rest of the request or closes the connection after the response.
import { PassThrough, type Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { CommonErrors } from '../../lib/errors/catalog.js';
import { readLimited } from '../../lib/streams/read-limited.js';

const views = new WeakMap<FastifyRequest, Readable>();

/** The body of `request` as a stream; the same stream on every call for one request. */
export function requestBody(request: FastifyRequest): Readable {
  const known = views.get(request);
  if (known) return known;
  const raw = request.raw;
  const piped = new PassThrough();
  // pipe() forwards neither errors nor a premature close: a client that goes away mid-body
  // must fail the reader, not leave it waiting.
  const onError = (error: Error) => piped.destroy(error);
  raw.on('error', onError);
  const onClose = () => { if (!raw.complete) piped.destroy(Object.assign(new Error('the client closed the connection before the body was complete'), { code: 'ECONNRESET' })); };
  raw.on('close', onClose);
  piped.once('close', () => { raw.off('error', onError); raw.off('close', onClose); });
  raw.pipe(piped);
  views.set(request, piped);
  return piped;
}

/**
 * Reads a small body whole (a checksum, a manifest, a JSON document) up to `limit` bytes: a
 * declared Content-Length over the limit is refused before a byte is read, a body that grows
 * past it is refused when it does (`tooLarge`, TOO_LARGE by default; the error handler answers
 * 413 and drains or closes).
 */
export async function readBoundedBody(request: FastifyRequest, limit: number, what: string, tooLarge: () => Error = () => CommonErrors.TOO_LARGE(what, limit)): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (request.headers['content-length'] !== undefined && declared > limit) throw tooLarge();
  return readLimited(requestBody(request), limit, what, tooLarge);
}
