// The base URL NORA writes into responses (tarball links, Location headers, token realms):
// [server] public_url when set, else the request's own scheme and host, where X-Forwarded-*
// count only from [server] trusted_proxies (fastify's trustProxy).
import type { FastifyRequest } from 'fastify';

export function publicBaseUrl(request: FastifyRequest, configured: string): string {
  if (configured) return configured.replace(/\/+$/, '');
  return `${request.protocol}://${request.host}`;
}
