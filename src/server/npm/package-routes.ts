// The package routes, GET/PUT/DELETE /npm/<anything not under /-/>: one wildcard per method
// (scoped names span one or two segments), dispatched on the parsed target.
import type { FastifyInstance } from 'fastify';
import { NpmErrors } from '../../lib/npm/errors.js';
import { handleDelete } from './unpublish-handler.js';
import { packageAccess, targetOf } from './npm-request.js';
import { sendPackument, sendVersion } from './packument-handler.js';
import { handlePut } from './publish-handler.js';
import type { NpmRouteContext } from './route-context.js';
import { sendTarball } from './tarball-handler.js';

export function registerPackageRoutes(app: FastifyInstance, ctx: NpmRouteContext): void {
  app.get('/*', { config: { access: packageAccess('pull') } }, async (request, reply) => {
    const target = targetOf(request);
    switch (target.kind) {
      case 'packument': return sendPackument(ctx, target.name, request, reply);
      case 'version': return sendVersion(ctx, target.name, target.spec, request, reply);
      case 'tarball': return sendTarball(ctx, target.name, target.file, request, reply);
      default: throw NpmErrors.VERSION_NOT_FOUND(target.name.full, target.rev);
    }
  });
  // PUT bodies are read by the handler as a stream (publish-stream.ts), not parsed up front.
  void app.register(async (streaming) => {
    streaming.removeAllContentTypeParsers();
    streaming.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    streaming.put('/*', { config: { access: packageAccess('push') } }, async (request, reply) => handlePut(ctx, targetOf(request), request, reply));
  });
  app.delete('/*', { config: { access: packageAccess('delete') } },
    async (request, reply) => handleDelete(ctx, targetOf(request), request, reply));
}
