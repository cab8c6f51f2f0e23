// The npm registry protocol, mounted at /npm: npm's error shape for everything under /npm/, the
// registry facade the composition root built, and its route files. With
// [npm] enabled = false only the error shape is registered (every path answers 404).
import type { FastifyPluginAsync } from 'fastify';
import type { ProtocolContext } from '../protocols.js';
import { auditRoutes } from './audit-routes.js';
import { registerDistTagRoutes } from './dist-tag-routes.js';
import { npmNotFound, renderNpmError } from './npm-error.js';
import { registerPackageRoutes } from './package-routes.js';
import { registerSearchRoutes } from './search-routes.js';
import { registerSessionRoutes } from './session-routes.js';

export const npmPlugin: FastifyPluginAsync<ProtocolContext> = async (app, { services, errorShapes }) => {
  errorShapes.register('/npm/', renderNpmError, npmNotFound);
  if (!services.config.npm.enabled) return;
  // Built once by the composition root from [npm] config.
  const { registry } = services.formats.npm;
  const ctx = { registry, services };
  registerSessionRoutes(app, ctx);
  registerSearchRoutes(app, ctx);
  registerDistTagRoutes(app, ctx);
  registerPackageRoutes(app, ctx);
  await app.register(auditRoutes, ctx);
};
