// The Maven repository under /maven2/: one wildcard route per method, since repository paths
// are free-form below the prefix and are parsed (and validated) by lib/maven/coordinates.
// Request bodies are passed through as streams, whatever their content type.
import type { FastifyInstance } from 'fastify';
import { mavenPullThrough } from '../../lib/maven/pull-through.js';
import { MavenRepository } from '../../lib/maven/repository.js';
import { upstreamMetrics } from '../../lib/upstream/metrics.js';
import type { MavenContext } from '../../lib/maven/context.js';
import type { ProtocolContext } from '../protocols.js';
import { deleteHandler } from './delete-version.js';
import { mavenNotFound, renderMavenError } from './error-shape.js';
import { getHandler } from './get-file.js';
import { putHandler } from './put-file.js';
import { PREFIX, deleteAccess, pushAccess, readAccess } from './request-path.js';

export async function mavenPlugin(app: FastifyInstance, { services, errorShapes }: ProtocolContext): Promise<void> {
  errorShapes.register(PREFIX, renderMavenError, mavenNotFound);
  const ctx: MavenContext = { store: services.store, blobs: services.blobs, events: services.events, config: services.config.maven };
  const local = new MavenRepository(ctx);
  const pullThrough = mavenPullThrough(ctx, upstreamMetrics(services.metrics));
  const repository = pullThrough ? pullThrough(local) : local;
  app.addHook('onClose', async () => repository.close());

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  const read = { config: { access: readAccess } };
  app.route({ method: ['GET', 'HEAD'], url: '/', ...read, handler: getHandler(services, repository) });
  app.route({ method: ['GET', 'HEAD'], url: '/*', ...read, handler: getHandler(services, repository) });
  app.put('/*', { config: { access: pushAccess } }, putHandler(ctx));
  app.delete('/*', { config: { access: deleteAccess } }, deleteHandler(ctx));
}
