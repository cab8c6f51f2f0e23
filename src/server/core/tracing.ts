// [tracing] on: one server span per request, named "METHOD route", with the protocol, the
// repository the route declared access to, the status and the request id; the rest of the
// request (storage calls, upstream requests) runs under it, so their spans are its children.
// An incoming W3C traceparent makes the request part of the caller's trace. Registered only
// when tracing is on: with it off, requests carry no span and nothing here runs.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { spanContext, type Span } from '../../lib/tracing/span-context.js';
import { parseTraceparent } from '../../lib/tracing/traceparent.js';
import type { Tracer } from '../../lib/tracing/tracer.js';
import { loggablePath } from './access-log.js';

declare module 'fastify' {
  interface FastifyRequest {
    span?: Span;
  }
}

const PROTOCOL_OF_PREFIX: Record<string, string> = { v2: 'oci', npm: 'npm', maven2: 'maven', cargo: 'cargo', simple: 'pypi', pypi: 'pypi', api: 'api', ui: 'ui', auth: 'auth' };

/** The protocol a URL belongs to, from its first path segment ("nora" for /health, /metrics, ...). */
export function protocolOf(url: string): string {
  const first = /^\/([^/?]*)/.exec(url)?.[1] ?? '';
  return PROTOCOL_OF_PREFIX[first] ?? 'nora';
}

function finish(request: FastifyRequest, status: number, failure?: string): void {
  const span = request.span;
  if (!span) return;
  const target = request.access?.find((a) => a.name !== '');
  span.set({ 'http.response.status_code': status, ...(target ? { 'nora.repository': target.name, 'nora.format': target.format } : {}) });
  if (failure) span.fail(failure);
  else if (status >= 500) span.fail(`status ${status}`);
  span.end();
}

export function registerTracing(app: FastifyInstance, tracer: Tracer): void {
  app.decorateRequest('span', undefined);
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const span = tracer.startSpan(`${request.method} ${route}`, {
      'http.request.method': request.method, 'http.route': route, 'url.path': loggablePath(request.url).slice(0, 1000),
      'nora.protocol': protocolOf(request.url), 'nora.request_id': request.id,
    }, 'server', parseTraceparent(request.headers.traceparent));
    request.span = span;
    spanContext.run(span, done);
  });
  app.addHook('onResponse', async (request, reply) => finish(request, reply.statusCode));
  app.addHook('onRequestAbort', async (request) => finish(request, 499, 'client closed the connection'));
}
