// JSON and text request bodies (logins, tokens, dist-tags, management calls) are parsed whole
// into strings and objects on the heap, which the binary caps at 64 MiB: a 60 MB JSON body sent
// to the public npm login route killed the process. They have their own limit,
// server.json_body_limit (1 MiB), besides server.body_limit (raw bytes an endpoint may buffer);
// past it the answer is a 413 in the protocol's shape and the body is never parsed.
import type { FastifyInstance } from 'fastify';
import type { NoraConfig } from '../../lib/config/schema.js';
import { CommonErrors } from '../../lib/errors/catalog.js';
import { readBoundedBody } from './request-body.js';

export function registerParsedBodyLimit(app: FastifyInstance, server: NoraConfig['server']): void {
  const [limit, key] = server.json_body_limit <= server.body_limit ? [server.json_body_limit, 'json_body_limit'] : [server.body_limit, 'body_limit'];
  const tooLarge = () => CommonErrors.TOO_LARGE(`request body (server.${key})`, limit);
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', (request, _payload, done) => {
    readBoundedBody(request, limit, 'request body', tooLarge).then((bytes) => parseJson(request, bytes.toString('utf8'), done), (error: Error) => done(error, undefined));
  });
  app.addContentTypeParser('text/plain', (request, _payload, done) => {
    readBoundedBody(request, limit, 'request body', tooLarge).then((bytes) => done(null, bytes.toString('utf8')), (error: Error) => done(error, undefined));
  });
}
