// The OCI Distribution v1.1 / Docker Registry v2 protocol at /v2: the ping, and one wildcard
// route per method whose small router hands each path to its resource's handlers. Request bodies
// reach the handlers as raw streams (any or no Content-Type), so blobs stream into the store.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md
import type { FastifyInstance } from 'fastify';
import { OciErrors } from '../../lib/oci/errors.js';
import type { Protocol, ProtocolContext } from '../protocols.js';
import { ociAccess, ociPathOf } from './access.js';
import { blobHandlers } from './blobs.js';
import type { OciContext, ResourceHandlers } from './context.js';
import { ociErrorRenderer, ociNotFound } from './errors.js';
import { AuthErrors } from '../../lib/auth/errors.js';
import { catalogHandlers, tagHandlers } from './listings.js';
import { manifestHandlers } from './manifests.js';
import { referrerHandlers } from './referrers.js';
import type { OciPath } from './router.js';
import { uploadHandlers } from './uploads.js';

const RESOURCES: { [R in OciPath['resource']]: ResourceHandlers<R> } = {
  catalog: catalogHandlers,
  tags: tagHandlers,
  manifest: manifestHandlers,
  uploads: uploadHandlers,
  blob: blobHandlers,
  referrers: referrerHandlers,
};

const METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'] as const;

async function ociPlugin(app: FastifyInstance, { services, errorShapes }: ProtocolContext): Promise<void> {
  const { config } = services;
  errorShapes.register('/v2', ociErrorRenderer(config.server.public_url), ociNotFound);
  // Built once by the composition root, pull-through cache included.
  const { registry } = services.formats.oci;
  const ctx: OciContext = { registry, config, events: services.events, tenants: services.tenants };

  // Bodies are streamed by the handlers themselves: hand every content type through untouched.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('docker-distribution-api-version', 'registry/2.0');
  });

  // The ping tells clients whether to log in: with access control on, an anonymous caller gets
  // 401 and the Bearer challenge (that is how docker login and skopeo find /auth/token).
  app.get('/', { config: { access: 'public' } }, async (request, reply) => {
    if (services.auth.enabled && request.identity.kind === 'anonymous') throw AuthErrors.UNAUTHORIZED('log in to use this registry');
    return reply.type('application/json').send('{}');
  });

  app.route({
    method: [...METHODS],
    url: '/*',
    config: { access: ociAccess },
    handler: async (request, reply) => {
      const path = ociPathOf(request);
      const handlers = RESOURCES[path.resource] as ResourceHandlers<typeof path.resource>;
      const handler = (handlers[request.method] ?? (request.method === 'HEAD' ? handlers.GET : undefined));
      if (!handler) {
        reply.header('allow', Object.keys(handlers).join(', '));
        throw OciErrors.UNSUPPORTED(`${request.method} is not supported on ${path.resource}`);
      }
      return handler(ctx, path, request, reply);
    },
  });

  // Expire abandoned upload sessions (state lives in the store, so any server may sweep).
  const every = Math.min(config.docker.upload_ttl, 3_600_000);
  const timer = setInterval(() => {
    registry.uploads.sweep().catch((error: unknown) => app.log.warn({ err: error }, 'upload sweep failed'));
  }, Math.max(every, 1000));
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}

export const ociProtocol: Protocol = { name: 'oci', prefix: '/v2', plugin: ociPlugin };
