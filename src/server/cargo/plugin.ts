// The Cargo registry under /cargo: the local sparse index and web API, and the crates.io cache
// at /cargo/crates-io/. Request bodies (publish frames, owner lists) are read raw by their
// routes, because cargo sends them without a usable Content-Type.
import type { FastifyInstance } from 'fastify';
import { CratesIoCache } from '../../lib/cargo/upstream/crates-io.js';
import { upstreamMetrics } from '../../lib/upstream/metrics.js';
import type { ProtocolContext } from '../protocols.js';
import { cratesIoRoutes } from './crates-io.js';
import { downloadRoute } from './download.js';
import { renderCargoError } from './error-shape.js';
import { indexRoutes } from './index-routes.js';
import { ownerRoutes } from './owners.js';
import { publishRoute } from './publish.js';
import { searchRoute } from './search.js';
import { yankRoutes } from './yank.js';

export async function cargoPlugin(app: FastifyInstance, { services, errorShapes }: ProtocolContext): Promise<void> {
  errorShapes.register('/cargo/', renderCargoError);
  app.removeAllContentTypeParsers();
  // Leave the body unread: each route streams request.raw itself.
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  const upstream = services.config.cargo.upstreams[0];
  const cache = upstream ? new CratesIoCache(services, upstream, upstreamMetrics(services.metrics)) : undefined;
  if (cache) app.addHook('onClose', async () => cache.close());

  const options = { services };
  await app.register(indexRoutes, options);
  await app.register(publishRoute, options);
  await app.register(downloadRoute, options);
  await app.register(yankRoutes, options);
  await app.register(ownerRoutes, options);
  await app.register(searchRoute, options);
  await app.register(cratesIoRoutes, { services, cache });
}
