// GET/HEAD/PUT/DELETE /v2/<name>/manifests/<reference>: byte-exact manifests by tag or digest,
// with their media type as Content-Type and Docker-Content-Digest on every success.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OciErrors } from '../../lib/oci/errors.js';
import type { ManifestRecord } from '../../lib/oci/manifest-store.js';
import { parseReference, pullReference } from '../../lib/oci/names.js';
import { readBoundedBody } from '../core/request-body.js';
import { actorOf, assertDeleteEnabled, type ResourceHandlers } from './context.js';
import { location } from './http.js';

/** A manifest body, refused with SIZE_INVALID (413) past docker.manifest_max_size. */
const readManifest = (request: FastifyRequest, limit: number): Promise<Buffer> =>
  readBoundedBody(request, limit, 'manifest', () => OciErrors.MANIFEST_TOO_LARGE(limit));

/** 200 with what GET and HEAD both answer: media type, digest, etag and length. */
function withHeaders(reply: FastifyReply, record: ManifestRecord): FastifyReply {
  reply.code(200)
    .type(record.mediaType)
    .header('docker-content-digest', record.digest)
    .header('etag', `"${record.digest}"`)
    .header('content-length', record.size);
  if (record.cacheStatus) reply.header('x-nora-cache', record.cacheStatus);
  return reply;
}

export const manifestHandlers: ResourceHandlers<'manifest'> = {
  async GET(ctx, path, request, reply) {
    const reference = pullReference(path.reference);
    if (!reference) throw OciErrors.MANIFEST_UNKNOWN(path.name, path.reference.slice(0, 200));
    if (request.method === 'HEAD') return withHeaders(reply, await ctx.registry.manifests.resolve(path.name, reference)).send();
    ctx.tenants.admitPull('oci', path.name);
    const { record, bytes } = await ctx.registry.manifests.get(path.name, reference);
    const actor = actorOf(request);
    ctx.events.publish({
      type: 'ArtifactPulled',
      artifact: { format: 'oci', name: path.name, digest: record.digest, ...(reference.kind === 'tag' ? { reference: reference.tag } : {}) },
      ...(actor ? { actor } : {}),
    });
    return withHeaders(reply, record).send(bytes);
  },

  async PUT(ctx, path, request, reply) {
    const reference = parseReference(path.reference);
    const bytes = await readManifest(request, ctx.config.docker.manifest_max_size);
    const { record } = await ctx.registry.manifests.push(path.name, reference, bytes, request.headers['content-type'], actorOf(request));
    if (record.subject) reply.header('oci-subject', record.subject);
    return reply.code(201)
      .header('location', location(request, ctx.config.server.public_url, `/v2/${path.name}/manifests/${record.digest}`))
      .header('docker-content-digest', record.digest)
      .header('content-length', 0)
      .send();
  },

  async DELETE(ctx, path, request, reply) {
    assertDeleteEnabled(ctx);
    await ctx.registry.manifests.delete(path.name, parseReference(path.reference), actorOf(request));
    return reply.code(202).header('content-length', 0).send();
  },
};
