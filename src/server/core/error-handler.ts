// One error handler for the whole server: domain NoraErrors and fastify's own errors become
// a NoraError, rendered in the shape of the protocol the URL belongs to. Anything unexpected is
// logged with its stack and answered as INTERNAL with the request id — a 500 is always a bug.
// Storage errors name keys and paths: they are logged, and the client gets its protocol's words.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CommonErrors } from '../../lib/errors/catalog.js';
import { NoraError, isNoraError } from '../../lib/errors/nora-error.js';
import { StorageError } from '../../lib/storage/errors.js';
import { isUpstreamFault } from '../../lib/upstream/errors.js';
import type { ErrorShapes } from './error-shapes.js';

function fromFastify(error: FastifyError): NoraError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new NoraError('TOO_LARGE', 413, 'request body is larger than the configured limit (server.body_limit)');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return CommonErrors.UNSUPPORTED_MEDIA_TYPE(error.message);
    default:
      // fastify's other refusals (bad JSON, URL, Content-Length, schema) are 400s; the rest of
      // its 4xx each has its own catalog code, so a code keeps one status.
      if (error.statusCode === 414) return CommonErrors.URI_TOO_LONG(error.message);
      if (error.statusCode === 415) return CommonErrors.UNSUPPORTED_MEDIA_TYPE(error.message);
      if (error.statusCode === 404) return CommonErrors.NOT_FOUND_AS(error.message);
      if (error.validation || (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)) return CommonErrors.BAD_REQUEST(error.message);
      return undefined;
  }
}

/** What a client is told about a storage failure: its meaning, never a key or a path. */
export function clientStorageError(error: StorageError, request: FastifyRequest, shapes: ErrorShapes): NoraError {
  switch (error.code) {
    case 'NOT_FOUND': return shapes.notFound(request);
    case 'STORAGE_FULL': return CommonErrors.STORAGE_FULL('the storage backend has no space left or reached its quota');
    case 'STORAGE_UNAVAILABLE': return CommonErrors.STORAGE_UNAVAILABLE('the storage backend cannot be reached; try again later');
    case 'PRECONDITION_FAILED': return CommonErrors.CONFLICT('a stored document');
    case 'INVALID_PATH': return CommonErrors.INVALID_PATH('the name cannot be stored');
    case 'RANGE_NOT_SATISFIABLE': {
      const size = typeof error.detail?.size === 'number' ? error.detail.size : 0;
      return new NoraError('RANGE_NOT_SATISFIABLE', 416, `requested range is outside the content (${size} bytes)`, { size });
    }
    default: return CommonErrors.INTERNAL(request.id);
  }
}

/**
 * Refusing a request before its body was read whole (bad name, too large, denied, store full)
 * must neither reset the client before it sees the answer nor leave the connection stuck on an
 * unread body. Handlers read through core/request-body.ts, so the request itself is intact here:
 * the rest of the body is drained, and the connection stays usable. A body declared larger than
 * DRAIN_LIMIT is not worth receiving: the answer says `Connection: close` and the connection is
 * closed after it. A body of unknown length (chunked) is drained up to DRAIN_LIMIT, then cut.
 */
export const DRAIN_LIMIT = 64 * 1024 * 1024;

function abandonBody(raw: FastifyRequest['raw'], reply: FastifyReply): void {
  raw.unpipe();
  const declared = Number(raw.headers['content-length']);
  // Fastify marks a failed body parser's answer `Connection: close`; a body that is drained
  // keeps its connection, or a client still writing it would be cut off with EPIPE.
  reply.removeHeader('connection');
  if (raw.headers['content-length'] !== undefined && Number.isFinite(declared)) {
    if (declared > DRAIN_LIMIT) reply.header('connection', 'close');
  } else {
    let drained = 0;
    raw.on('data', (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > DRAIN_LIMIT) raw.socket?.destroy();
    });
  }
  raw.resume();
}

export function registerErrorHandler(app: FastifyInstance, shapes: ErrorShapes): void {
  app.setErrorHandler(async (raw: FastifyError, request, reply) => {
    let error = isNoraError(raw) ? raw : fromFastify(raw);
    if (!error) {
      request.log.error({ err: raw }, 'unexpected error');
      error = CommonErrors.INTERNAL(request.id);
    } else if (error instanceof StorageError) {
      // A 404 from the store itself means something listed lost its bytes: worth a warning.
      if (error.status >= 500) request.log.error({ err: raw }, error.message);
      else if (error.code === 'NOT_FOUND') request.log.warn({ err: raw }, error.message);
      error = clientStorageError(error, request, shapes);
    } else if (isUpstreamFault(error)) {
      // An upstream that is down is the upstream's failure, not NORA's: one warning with its
      // name and reason, no stack (and so no build path of the bundle).
      request.log.warn({ upstream: error.detail?.upstream_name, url: error.detail?.upstream, reason: error.detail?.reason }, error.message);
    } else if (error.status >= 500) {
      request.log.error({ err: raw }, error.message);
    }
    const rendered = shapes.renderer(request.url)(error, request);
    if (rendered.headers) reply.headers(rendered.headers);
    if (typeof error.detail?.retry_after === 'number') reply.header('retry-after', String(error.detail.retry_after));
    if (!request.raw.complete) abandonBody(request.raw, reply);
    // A failure after streaming began cannot change the status; close the connection instead.
    if (reply.sent || reply.raw.headersSent) {
      reply.raw.destroy();
      return reply;
    }
    return reply.code(rendered.status).send(rendered.body);
  });

  app.setNotFoundHandler(async (request, reply) => {
    const error = shapes.notFound(request);
    const rendered = shapes.renderer(request.url)(error, request);
    if (rendered.headers) reply.headers(rendered.headers);
    return reply.code(rendered.status).send(rendered.body);
  });
}
