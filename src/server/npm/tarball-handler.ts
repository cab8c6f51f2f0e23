// GET /npm/<name>/-/<file>.tgz: streamed from the blob store, or from the upstream while it is
// cached. A failure after the first byte closes the connection (core error handler), so a client
// never mistakes a cut-off tarball for a whole one.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PackageName } from '../../lib/npm/package-name.js';
import type { NpmRouteContext } from './route-context.js';

export async function sendTarball(ctx: NpmRouteContext, name: PackageName, file: string, request: FastifyRequest, reply: FastifyReply) {
  ctx.services.tenants.admitPull('npm', name.full);
  const tarball = await ctx.registry.tarball(name, file);
  reply.type('application/octet-stream').header('cache-control', 'public, max-age=31536000, immutable');
  if (tarball.size !== undefined) reply.header('content-length', tarball.size);
  if (tarball.cache) reply.header('x-nora-cache', tarball.cache);
  ctx.services.events.publish({ type: 'ArtifactPulled', artifact: { format: 'npm', name: name.full, reference: file }, actor: request.identity.name });
  // fastify logs nothing for a response it has to cut off (no onResponse either): say why here.
  tarball.body.once('error', (error) => request.log.warn({ err: error, path: request.url }, `tarball stream failed: ${error.message}`));
  return reply.send(tarball.body);
}
