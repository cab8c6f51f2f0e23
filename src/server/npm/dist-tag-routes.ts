// `npm dist-tag ls/add/rm`: GET /npm/-/package/<name>/dist-tags, PUT and DELETE
// /npm/-/package/<name>/dist-tags/<tag> (the PUT body is the version as a JSON string).
// Upstream packages' tags can be read; only local packages' tags can change.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Action } from '../../lib/auth/access.js';
import { NpmErrors } from '../../lib/npm/errors.js';
import { parseDistTagPath } from '../../lib/npm/npm-path.js';
import { npmAccess, npmPath } from './npm-request.js';
import type { NpmRouteContext } from './route-context.js';

const tagTarget = (request: FastifyRequest) => parseDistTagPath(npmPath(request, '-/package/'));
const access = (action: Action) => (request: FastifyRequest) => npmAccess(action, tagTarget(request).name.full);

function requireTag(request: FastifyRequest): { tag: string; name: ReturnType<typeof tagTarget>['name'] } {
  const { name, tag } = tagTarget(request);
  if (tag === undefined) throw NpmErrors.BAD_TAG('no tag named in the path');
  return { name, tag };
}

export function registerDistTagRoutes(app: FastifyInstance, ctx: NpmRouteContext): void {
  app.get('/-/package/*', { config: { access: access('pull') } }, async (request) => {
    const { name, tag } = tagTarget(request);
    const tags = (await ctx.registry.resolve(name)).packument['dist-tags'];
    if (tag === undefined) return tags;
    if (!(tag in tags)) throw NpmErrors.BAD_TAG(`${name.full} has no dist-tag ${JSON.stringify(tag)}`);
    return JSON.stringify(tags[tag]);
  });
  app.put('/-/package/*', { config: { access: access('push') } }, async (request, reply) => {
    const { name, tag } = requireTag(request);
    const doc = await ctx.registry.local.setTag(name, tag, request.body, request.identity.name);
    return reply.code(201).send({ ok: true, id: name.full, 'dist-tags': doc.packument['dist-tags'] });
  });
  app.delete('/-/package/*', { config: { access: access('push') } }, async (request) => {
    const { name, tag } = requireTag(request);
    const doc = await ctx.registry.local.removeTag(name, tag, request.identity.name);
    return { ok: true, id: name.full, 'dist-tags': doc.packument['dist-tags'] };
  });
}
