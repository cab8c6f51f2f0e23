// Each protocol answers errors in its own clients' shape; protocols register a renderer for
// their URL prefix and one error handler picks it. Everything else gets NORA's JSON shape.
import type { FastifyRequest } from 'fastify';
import type { NoraError } from '../../lib/errors/nora-error.js';

export interface RenderedError {
  status: number;
  headers?: Record<string, string>;
  body: string | Record<string, unknown>;
}

export type ErrorRenderer = (error: NoraError, request: FastifyRequest) => RenderedError;

/** NORA's own shape, used by /api/, /health and anything without a protocol renderer. */
export const renderNoraError: ErrorRenderer = (error) => ({
  status: error.status,
  body: { error: { code: error.code, message: error.message, ...(error.detail ? { detail: error.detail } : {}) } },
});

export class ErrorShapes {
  private readonly byPrefix: Array<{ prefix: string; render: ErrorRenderer }> = [];

  register(prefix: string, render: ErrorRenderer): void {
    this.byPrefix.push({ prefix, render });
    // Longest prefix first, so /cargo/crates-io/ can differ from /cargo/.
    this.byPrefix.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  renderer(url: string): ErrorRenderer {
    return this.byPrefix.find((entry) => url.startsWith(entry.prefix))?.render ?? renderNoraError;
  }
}
