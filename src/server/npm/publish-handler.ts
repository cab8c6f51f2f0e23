// PUT /npm/<name>: `npm publish` when the body carries `_attachments`, otherwise an edited
// packument (`npm deprecate`, first step of `npm unpublish pkg@v`); PUT /npm/<name>/-rev/<rev>
// is the same edit pinned to a revision. The body is read as a stream (the tarball goes straight
// to the blob store), capped by [npm] max_body.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NpmErrors } from '../../lib/npm/errors.js';
import type { NpmTarget } from '../../lib/npm/npm-path.js';
import { checkBodyName, isPublishBody } from '../../lib/npm/publish-body.js';
import { readStreamedBody } from '../../lib/npm/publish-stream.js';
import { requestBody } from '../core/request-body.js';
import type { NpmRouteContext } from './route-context.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function handlePut(ctx: NpmRouteContext, target: NpmTarget, request: FastifyRequest, reply: FastifyReply) {
  const streamed = await readStreamedBody(requestBody(request), { blobs: ctx.services.blobs, maxSize: ctx.services.config.npm.max_body });
  const body = streamed.json;
  const actor = request.identity.name;
  if (target.kind === 'packument' && isPublishBody(body)) {
    await ctx.registry.publish(target.name, streamed, actor);
    return reply.code(201).send({ ok: true, success: true, id: target.name.full });
  }
  await streamed.blob?.discard().catch(() => undefined); // not a publish: the staged tarball was never wanted
  if (!isObject(body)) throw NpmErrors.BAD_PUBLISH('expected a JSON object');
  if (target.kind !== 'packument' && target.kind !== 'rev') throw NpmErrors.BAD_PUBLISH(`cannot PUT to ${target.kind === 'tarball' ? 'a tarball' : 'this path'}`);
  checkBodyName(target.name, body);
  const doc = await ctx.registry.local.update(target.name, body, target.kind === 'rev' ? target.rev : undefined, actor);
  return reply.code(200).send({ ok: true, id: target.name.full, rev: doc.rev });
}
