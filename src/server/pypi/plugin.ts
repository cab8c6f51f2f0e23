// The PyPI protocol: the simple index under /simple/, files and twine uploads under /pypi/,
// errors as plain text with the message in the reason phrase (what pip and twine print).
import type { FastifyPluginAsync } from 'fastify';
import { PypiRegistry } from '../../lib/pypi/registry.js';
import type { ProtocolContext } from '../protocols.js';
import { pypiNotFound, registerReasonPhrase, renderPypiError } from './error-shape.js';
import { fileRoutes } from './files-route.js';
import { simpleRoutes } from './simple-routes.js';
import { uploadRoutes } from './upload-route.js';

export const pypiPlugin: FastifyPluginAsync<ProtocolContext> = async (app, { services, errorShapes }) => {
  errorShapes.register('/simple', renderPypiError, pypiNotFound);
  errorShapes.register('/pypi', renderPypiError, pypiNotFound);
  const registry = new PypiRegistry({ store: services.store, blobs: services.blobs, events: services.events }, services.config.pypi);
  app.addHook('onClose', async () => registry.close());
  registerReasonPhrase(app);
  simpleRoutes(app, services, registry);
  fileRoutes(app, services, registry);
  uploadRoutes(app, services);
};
