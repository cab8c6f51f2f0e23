// Each protocol answers errors in its own clients' shape; protocols register a renderer for
// their URL prefix and one error handler picks it. Everything else gets NORA's JSON shape.
// A protocol also says how it words "not found" for a miss whose details are internal (an
// unrouted path, a stored object gone missing): BLOB_UNKNOWN, npm's "Not found", ...
import type { FastifyRequest } from 'fastify';
import { CommonErrors } from '../../lib/errors/catalog.js';
import type { NoraError } from '../../lib/errors/nora-error.js';

export interface RenderedError {
  status: number;
  headers?: Record<string, string>;
  body: string | Record<string, unknown>;
}

export type ErrorRenderer = (error: NoraError, request: FastifyRequest) => RenderedError;

/** The protocol's own "not found" for the request. */
export type NotFound = (request: FastifyRequest) => NoraError;

/** Outside a protocol: NORA's NOT_FOUND naming the request (a client's own method and path). */
const notFoundHere: NotFound = (request) => CommonErrors.NOT_FOUND(`${request.method} ${request.url.split('?', 1)[0]}`);

/** NORA's own shape, used by /api/, /health and anything without a protocol renderer. */
export const renderNoraError: ErrorRenderer = (error) => ({
  status: error.status,
  body: { error: { code: error.code, message: error.message, ...(error.detail ? { detail: error.detail } : {}) } },
});

export class ErrorShapes {
  private readonly byPrefix: Array<{ prefix: string; render: ErrorRenderer; notFound: NotFound }> = [];

  register(prefix: string, render: ErrorRenderer, notFound: NotFound = notFoundHere): void {
    this.byPrefix.push({ prefix, render, notFound });
    // Longest prefix first, so /cargo/crates-io/ can differ from /cargo/.
    this.byPrefix.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  renderer(url: string): ErrorRenderer {
    return this.byPrefix.find((entry) => url.startsWith(entry.prefix))?.render ?? renderNoraError;
  }

  notFound(request: FastifyRequest): NoraError {
    return (this.byPrefix.find((entry) => request.url.startsWith(entry.prefix))?.notFound ?? notFoundHere)(request);
  }
}
