// DELETE /npm/<name>/-rev/<rev> (`npm unpublish --force`: the whole package) and
// DELETE /npm/<name>/-/<file>.tgz/-rev/<rev> (last step of `npm unpublish pkg@v`).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NpmErrors } from '../../lib/npm/errors.js';
import type { NpmTarget } from '../../lib/npm/npm-path.js';
import type { NpmRouteContext } from './route-context.js';

export async function handleDelete(ctx: NpmRouteContext, target: NpmTarget, request: FastifyRequest, reply: FastifyReply) {
  if (target.kind === 'rev') {
    await ctx.registry.local.deletePackage(target.name, target.rev, request.identity.name);
  } else if (target.kind === 'tarball-rev') {
    await ctx.registry.local.deleteTarball(target.name, target.file, target.rev);
  } else {
    throw NpmErrors.BAD_PUBLISH('DELETE needs a revision: /<name>/-rev/<rev> or /<name>/-/<file>/-rev/<rev>');
  }
  return reply.code(200).send({ ok: true });
}
