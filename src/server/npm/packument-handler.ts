// GET /npm/<name> (full or abbreviated packument, ETag and If-None-Match) and
// GET /npm/<name>/<version|tag> (one version's manifest). Upstream answers carry X-Nora-Cache.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NpmErrors } from '../../lib/npm/errors.js';
import type { PackageName } from '../../lib/npm/package-name.js';
import { ABBREVIATED_TYPE, renderPackument, wantsAbbreviated } from '../../lib/npm/packument.js';
import { matchesEtag, registryBase } from './npm-request.js';
import type { NpmRouteContext } from './route-context.js';

export async function sendPackument(ctx: NpmRouteContext, name: PackageName, request: FastifyRequest, reply: FastifyReply) {
  const abbreviated = wantsAbbreviated(request.headers.accept);
  const view = await ctx.registry.view(name, registryBase(request, ctx.services.config.server.public_url), abbreviated);
  if (view.cache) reply.header('x-nora-cache', view.cache);
  reply.header('etag', view.etag).header('vary', 'accept').header('cache-control', 'no-cache');
  if (matchesEtag(request.headers['if-none-match'], view.etag)) return reply.code(304).send();
  return reply.type(abbreviated ? `${ABBREVIATED_TYPE}; charset=utf-8` : 'application/json; charset=utf-8').send(view.body);
}

export async function sendVersion(ctx: NpmRouteContext, name: PackageName, spec: string, request: FastifyRequest, reply: FastifyReply) {
  const resolved = await ctx.registry.resolve(name);
  const version = resolved.packument['dist-tags'][spec] ?? spec;
  if (!resolved.packument.versions[version]) throw NpmErrors.VERSION_NOT_FOUND(name.full, spec);
  const base = registryBase(request, ctx.services.config.server.public_url);
  const one = { ...resolved.packument, versions: { [version]: resolved.packument.versions[version] } };
  const rendered = renderPackument(one, { registryBase: base, abbreviated: false }) as { versions: Record<string, unknown> };
  if (resolved.cache) reply.header('x-nora-cache', resolved.cache);
  return reply.type('application/json; charset=utf-8').send(rendered.versions[version]);
}
