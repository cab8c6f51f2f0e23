// The local sparse index at /cargo/index/: config.json built from the public URL, and one file
// per crate at its standard path, rendered from the crate document
// (https://doc.rust-lang.org/cargo/reference/registry-index.html#sparse-protocol).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CargoErrors } from '../../lib/cargo/errors.js';
import { CommonErrors } from '../../lib/errors/catalog.js';
import { parseIndexPath } from '../../lib/cargo/names.js';
import type { Services } from '../../lib/services.js';
import { ANONYMOUS } from '../../lib/auth/access.js';
import { publicBaseUrl } from '../core/public-url.js';
import { sendCacheable } from './conditional.js';
import type { CargoRouteContext } from './route-context.js';

/** The crate name of an index request, or '' when the path is no index path. */
export const indexName = (request: FastifyRequest): string => parseIndexPath((request.params as { '*': string })['*']) ?? '';

/** With access control on and no anonymous pull of crates, cargo must send its token everywhere. */
const anonymousMayNotPull = (services: Services): boolean =>
  services.auth.enabled && !services.auth.rules.allowedSync(ANONYMOUS, [{ action: 'pull', format: 'cargo', name: '' }]);

/** config.json for a registry whose API lives at `apiPath` (undefined: no API, as for the cache). */
export function registryConfig(request: FastifyRequest, services: Services, dlPath: string, apiPath?: string): Record<string, unknown> {
  const base = publicBaseUrl(request, services.config.server.public_url);
  return {
    dl: `${base}${dlPath}`,
    ...(apiPath !== undefined ? { api: `${base}${apiPath}` } : {}),
    ...(services.config.cargo.auth_required || anonymousMayNotPull(services) ? { 'auth-required': true } : {}),
  };
}

export async function indexRoutes(app: FastifyInstance, { services, cargo }: CargoRouteContext): Promise<void> {
  app.get('/index/config.json', { config: { access: () => ({ action: 'pull', format: 'cargo', name: '' }) } },
    async (request, reply) => reply.header('cache-control', 'no-cache').send(registryConfig(request, services, '/cargo/api/v1/crates', '/cargo')));

  app.get('/index/*', { config: { access: (request) => ({ action: 'pull', format: 'cargo', name: indexName(request) }) } }, async (request, reply) => {
    const name = indexName(request);
    const path = (request.params as { '*': string })['*'];
    if (!name) throw CommonErrors.NOT_FOUND(`${path} is not an index file path (1/a, 2/ab, 3/a/abc, ab/cd/abcd)`);
    const file = await cargo.indexFile(name);
    if (!file) throw CargoErrors.CRATE_NOT_FOUND(name);
    return sendCacheable(request, reply, { body: file.body, etag: file.etag, lastModified: file.updated, type: 'text/plain; charset=utf-8' });
  });
}
