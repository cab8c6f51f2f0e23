// /v2/<name>/blobs/uploads/[<uuid>]: POST opens a session (or uploads monolithically with
// ?digest=, or mounts with ?mount=&from=), PATCH appends a chunk, PUT closes with ?digest=, GET
// reports progress, DELETE cancels.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-blobs
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OciErrors } from '../../lib/oci/errors.js';
import { checkDigest, checkName } from '../../lib/oci/names.js';
import type { UploadState } from '../../lib/oci/upload-store.js';
import { actorOf, type OciContext, type ResourceHandlers } from './context.js';
import { bodyOf, contentLength, hasBody, location, parseContentRange, uploadRange } from './http.js';

type Query = Record<string, string | undefined>;

function created(ctx: OciContext, request: FastifyRequest, reply: FastifyReply, name: string, digest: string) {
  return reply.code(201)
    .header('location', location(request, ctx.config.server.public_url, `/v2/${name}/blobs/${digest}`))
    .header('docker-content-digest', digest)
    .header('content-length', 0)
    .send();
}

function progress(ctx: OciContext, request: FastifyRequest, reply: FastifyReply, state: UploadState, status: number) {
  return reply.code(status)
    .header('location', location(request, ctx.config.server.public_url, `/v2/${state.name}/blobs/uploads/${state.id}`))
    .header('range', uploadRange(state.size))
    .header('docker-upload-uuid', state.id)
    .header('oci-chunk-min-length', ctx.config.docker.chunk_min_length)
    .header('content-length', 0)
    .send();
}

/** The declared length of a chunk: Content-Range's when given (it must agree with Content-Length). */
function chunkOf(request: FastifyRequest): { start?: number; length?: number } {
  const range = parseContentRange(request.headers['content-range']);
  const length = contentLength(request);
  if (!range) return length === undefined ? {} : { length };
  const ranged = range.end - range.start + 1;
  if (length !== undefined && length !== ranged) throw OciErrors.SIZE_INVALID(`Content-Range ${range.start}-${range.end} is ${ranged} bytes but Content-Length is ${length}`);
  return { start: range.start, length: ranged };
}

export const uploadHandlers: ResourceHandlers<'uploads'> = {
  async POST(ctx, path, request, reply) {
    if (path.id !== undefined) throw OciErrors.UNSUPPORTED('POST opens a session at /blobs/uploads/; use PATCH or PUT on a session');
    const query = request.query as Query;
    const actor = actorOf(request);
    if (query.mount !== undefined && query.from !== undefined) {
      checkDigest(query.mount);
      checkName(query.from);
      const mounted = await ctx.registry.blobs.mount(path.name, query.from, query.mount, actor);
      if (mounted) return created(ctx, request, reply, path.name, query.mount);
    }
    if (query.digest !== undefined) {
      const written = await ctx.registry.blobs.write(path.name, bodyOf(request), query.digest, contentLength(request), actor);
      request.bytesIn = written.size;
      return created(ctx, request, reply, path.name, written.digest);
    }
    return progress(ctx, request, reply, await ctx.registry.uploads.start(path.name), 202);
  },

  async PATCH(ctx, path, request, reply) {
    const state = await ctx.registry.uploads.get(path.name, sessionId(path.id));
    const next = await ctx.registry.uploads.append(state, bodyOf(request), chunkOf(request));
    // A chunked body has no Content-Length: the access log and metrics count what was stored.
    request.bytesIn = next.size - state.size;
    return progress(ctx, request, reply, next, 202);
  },

  async PUT(ctx, path, request, reply) {
    const state = await ctx.registry.uploads.get(path.name, sessionId(path.id));
    const digest = (request.query as Query).digest;
    if (digest === undefined) throw OciErrors.DIGEST_INVALID('closing an upload needs ?digest=<digest> of the whole blob');
    checkDigest(digest);
    const last = hasBody(request) ? { body: bodyOf(request), ...chunkOf(request) } : undefined;
    const written = await ctx.registry.blobs.complete(state, digest, last, actorOf(request));
    if (last) request.bytesIn = written.size - state.size;
    return created(ctx, request, reply, path.name, written.digest);
  },

  async GET(ctx, path, request, reply) {
    const state = await ctx.registry.uploads.get(path.name, sessionId(path.id));
    return progress(ctx, request, reply, state, 204);
  },

  async DELETE(ctx, path, _request, reply) {
    const state = await ctx.registry.uploads.get(path.name, sessionId(path.id));
    await ctx.registry.uploads.remove(state);
    return reply.code(204).send();
  },
};

function sessionId(id: string | undefined): string {
  if (id === undefined) throw OciErrors.BLOB_UPLOAD_UNKNOWN('(none given)');
  return id;
}
