// The Maven repository under /maven2/: one wildcard route per method, since repository paths
// are free-form below the prefix and are parsed (and validated) by lib/maven/coordinates.
// Request bodies are passed through as streams, whatever their content type.
import type { FastifyInstance } from 'fastify';
import type { ProtocolContext } from '../protocols.js';
import { deleteHandler } from './delete-version.js';
import { mavenNotFound, renderMavenError } from './error-shape.js';
import { getHandler } from './get-file.js';
import { registerReasonPhrase } from '../core/reason-phrase.js';
import { putHandler } from './put-file.js';
import { PREFIX, deleteAccess, pushAccess, readAccess } from './request-path.js';

export async function mavenPlugin(app: FastifyInstance, { services, errorShapes }: ProtocolContext): Promise<void> {
  errorShapes.register(PREFIX, renderMavenError, mavenNotFound);
  // Maven prints only the status line of a refused deploy: a quota or limit refusal says why there.
  registerReasonPhrase(app, (status) => status === 403 || status === 429);
  // Built once by the composition root (and closed by it).
  const maven = services.formats.maven;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  const read = { config: { access: readAccess } };
  app.route({ method: ['GET', 'HEAD'], url: '/', ...read, handler: getHandler(services, maven) });
  app.route({ method: ['GET', 'HEAD'], url: '/*', ...read, handler: getHandler(services, maven) });
  app.put('/*', { config: { access: pushAccess } }, putHandler(maven));
  app.delete('/*', { config: { access: deleteAccess } }, deleteHandler(maven));
}
