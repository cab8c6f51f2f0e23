// The npm registry protocol, mounted at /npm: npm's error shape for everything under /npm/, the
// registry facade built from Services and [npm] config, and its route files. With
// [npm] enabled = false only the error shape is registered (every path answers 404).
import type { FastifyPluginAsync } from 'fastify';
import { NpmRegistry } from '../../lib/npm/npm-registry.js';
import { npmPullThrough } from '../../lib/npm/upstream/pull-through.js';
import { upstreamMetrics } from '../../lib/upstream/metrics.js';
import type { ProtocolContext } from '../protocols.js';
import { auditRoutes } from './audit-routes.js';
import { registerDistTagRoutes } from './dist-tag-routes.js';
import { renderNpmError } from './npm-error.js';
import { registerPackageRoutes } from './package-routes.js';
import { registerSearchRoutes } from './search-routes.js';
import { registerSessionRoutes } from './session-routes.js';

export const npmPlugin: FastifyPluginAsync<ProtocolContext> = async (app, { services, errorShapes }) => {
  errorShapes.register('/npm/', renderNpmError);
  const config = services.config.npm;
  if (!config.enabled) return;
  const local = new NpmRegistry({ store: services.store, blobs: services.blobs, events: services.events });
  const pullThrough = npmPullThrough({ config, store: services.store, blobs: services.blobs, metrics: upstreamMetrics(services.metrics) });
  const registry = pullThrough ? pullThrough(local) : local;
  app.addHook('onClose', async () => registry.close());
  const ctx = { registry, services };
  registerSessionRoutes(app, ctx);
  registerSearchRoutes(app, ctx);
  registerDistTagRoutes(app, ctx);
  registerPackageRoutes(app, ctx);
  await app.register(auditRoutes, ctx);
};
