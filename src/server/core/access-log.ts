// One JSON log line per request (method, path, status, bytes in/out, duration, request id) and
// the matching HTTP metrics. Query values that could carry credentials are masked.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Metrics } from '../../lib/metrics/metrics.js';
import { enabled } from './request-logger.js';

const SECRET_QUERY = /([?&](?:token|access_token|password|passwd|secret|key|signature|x-amz-signature|x-amz-credential)=)[^&]*/gi;

/** NORA API tokens anywhere in a path (npm logout puts the token in the URL). */
const TOKEN_IN_PATH = /nra_[A-Za-z0-9_-]+/g;

export function loggablePath(url: string): string {
  return url.replace(SECRET_QUERY, '$1***').replace(TOKEN_IN_PATH, 'nra_***');
}

declare module 'fastify' {
  interface FastifyReply {
    bytesOut: number;
  }
  interface FastifyRequest {
    /** Body bytes a streaming handler consumed; without it the Content-Length header is used. */
    bytesIn?: number;
  }
}

function countBytesOut(reply: FastifyReply): void {
  const raw = reply.raw;
  const write = raw.write.bind(raw) as (...args: unknown[]) => boolean;
  const end = raw.end.bind(raw) as (...args: unknown[]) => typeof raw;
  const count = (chunk: unknown) => {
    if (typeof chunk === 'string') reply.bytesOut += Buffer.byteLength(chunk);
    else if (chunk instanceof Uint8Array) reply.bytesOut += chunk.length;
  };
  raw.write = ((chunk: unknown, ...rest: unknown[]) => { count(chunk); return write(chunk, ...rest); }) as typeof raw.write;
  raw.end = ((chunk?: unknown, ...rest: unknown[]) => { if (typeof chunk !== 'function') count(chunk); return end(chunk, ...rest); }) as typeof raw.end;
}

export function registerAccessLog(app: FastifyInstance, metrics: Metrics): void {
  app.decorateReply('bytesOut', 0);
  app.addHook('onRequest', async (_request, reply) => {
    reply.bytesOut = 0;
    countBytesOut(reply);
  });
  app.addHook('onResponse', async (request, reply) => {
    const ms = reply.elapsedTime;
    const declared = Number(request.headers['content-length']);
    const bytesIn = request.bytesIn ?? (Number.isFinite(declared) ? declared : 0);
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, ms / 1000);
    metrics.bytesIn.inc(bytesIn);
    metrics.bytesOut.inc(reply.bytesOut);
    // Through the server's logger with the request id in the line (as request.log would bind it),
    // so a request that writes nothing else never makes its own child logger (request-logger.ts);
    // below info nothing of the line is built.
    if (!enabled(app.log, 'info')) return;
    app.log.info({
      req_id: request.id,
      method: request.method,
      path: loggablePath(request.url),
      status: reply.statusCode,
      bytes_in: bytesIn,
      bytes_out: reply.bytesOut,
      ms: Math.round(ms * 100) / 100,
      ip: request.clientAddress,
      user: request.identity?.name,
    }, 'request');
  });
}
