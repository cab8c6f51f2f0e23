// The PyPI protocol: the simple index under /simple/, files and twine uploads under /pypi/,
// errors as plain text with the message in the reason phrase (what pip and twine print).
import type { FastifyPluginAsync } from 'fastify';
import { pypiPullThrough } from '../../lib/pypi/pull-through.js';
import { PypiRegistry } from '../../lib/pypi/registry.js';
import { upstreamMetrics } from '../../lib/upstream/metrics.js';
import type { ProtocolContext } from '../protocols.js';
import { pypiNotFound, registerReasonPhrase, renderPypiError } from './error-shape.js';
import { fileRoutes } from './files-route.js';
import { simpleRoutes } from './simple-routes.js';
import { uploadRoutes } from './upload-route.js';

export const pypiPlugin: FastifyPluginAsync<ProtocolContext> = async (app, { services, errorShapes }) => {
  errorShapes.register('/simple', renderPypiError, pypiNotFound);
  errorShapes.register('/pypi', renderPypiError, pypiNotFound);
  const deps = { store: services.store, blobs: services.blobs, events: services.events };
  const local = new PypiRegistry(deps);
  const pullThrough = pypiPullThrough({ config: services.config.pypi, deps, metrics: upstreamMetrics(services.metrics) });
  const registry = pullThrough ? pullThrough(local) : local;
  app.addHook('onClose', async () => registry.close());
  registerReasonPhrase(app);
  simpleRoutes(app, services, registry);
  fileRoutes(app, services, registry);
  uploadRoutes(app, services);
};
