// The crates.io cache as a second registry at /cargo/crates-io/: its own config.json (whose
// `dl` points back at NORA), the upstream sparse index served from cache with revalidation,
// and verified, cached .crate downloads. Use it with `[source.crates-io] replace-with`.
import type { FastifyInstance } from 'fastify';
import { CargoErrors } from '../../lib/cargo/errors.js';
import { CommonErrors } from '../../lib/errors/catalog.js';
import type { CratesIoCache } from '../../lib/cargo/upstream/crates-io.js';
import { sendCacheable } from './conditional.js';
import { crateParam, type VersionParams } from './crate-access.js';
import { indexName, registryConfig } from './index-routes.js';
import type { CargoRouteContext } from './route-context.js';

export async function cratesIoRoutes(app: FastifyInstance, { services, cargo }: CargoRouteContext): Promise<void> {
  const enabled = (): CratesIoCache => {
    if (!cargo.upstream) throw CargoErrors.UPSTREAM_DISABLED();
    return cargo.upstream;
  };

  app.get('/crates-io/index/config.json', { config: { access: () => ({ action: 'pull', format: 'cargo', name: '' }) } }, async (request, reply) => {
    enabled();
    return reply.header('cache-control', 'no-cache').send(registryConfig(request, services, '/cargo/crates-io/api/v1/crates'));
  });

  app.get('/crates-io/index/*', { config: { access: (request) => ({ action: 'pull', format: 'cargo', name: indexName(request) }) } }, async (request, reply) => {
    const name = indexName(request);
    if (!name) throw CommonErrors.NOT_FOUND(`${(request.params as { '*': string })['*']} is not an index file path (1/a, 2/ab, 3/a/abc, ab/cd/abcd)`);
    const file = await enabled().indexFile(name);
    if (!file) throw CargoErrors.CRATE_NOT_FOUND(name);
    return sendCacheable(request, reply, { body: file.body, etag: file.digest.slice(0, 40), lastModified: new Date(file.updated), type: 'text/plain; charset=utf-8' });
  });

  app.get('/crates-io/api/v1/crates/:name/:version/download', { config: { access: (request) => ({ action: 'pull', format: 'cargo', name: crateParam(request) }) } }, async (request, reply) => {
    const { name, version } = request.params as VersionParams;
    const { digest, info, body } = await enabled().openCrate(name, version);
    services.events.publish({ type: 'ArtifactPulled', artifact: { format: 'cargo', name, reference: version, digest }, actor: request.identity.name });
    return reply.type('application/gzip').header('content-length', info.size).send(body);
  });
}
