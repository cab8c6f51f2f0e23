// The PyPI protocol: the simple index under /simple/, files and twine uploads under /pypi/,
// errors as plain text with the message in the reason phrase (what pip and twine print), all
// over the pypi service the composition root built (it owns the upstream client and closes it).
import type { FastifyPluginAsync } from 'fastify';
import type { ProtocolContext } from '../protocols.js';
import { pypiNotFound, registerReasonPhrase, renderPypiError } from './error-shape.js';
import { fileRoutes } from './files-route.js';
import { simpleRoutes } from './simple-routes.js';
import { uploadRoutes } from './upload-route.js';

export const pypiPlugin: FastifyPluginAsync<ProtocolContext> = async (app, { services, errorShapes }) => {
  errorShapes.register('/simple', renderPypiError, pypiNotFound);
  errorShapes.register('/pypi', renderPypiError, pypiNotFound);
  const pypi = services.formats.pypi;
  registerReasonPhrase(app);
  simpleRoutes(app, services, pypi.registry);
  fileRoutes(app, services, pypi.registry);
  uploadRoutes(app, services, pypi);
};
