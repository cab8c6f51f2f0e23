// GET/HEAD/DELETE /v2/<name>/blobs/<digest>: blob reads with Range (206/416) and unlinking.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-blobs
import { checkDigest } from '../../lib/oci/names.js';
import { actorOf, assertDeleteEnabled, type ResourceHandlers } from './context.js';
import { parseByteRange } from './http.js';

export const blobHandlers: ResourceHandlers<'blob'> = {
  async GET(ctx, path, request, reply) {
    checkDigest(path.digest);
    const { size } = await ctx.registry.blobs.stat(path.name, path.digest);
    const range = parseByteRange(request.headers.range, size);
    reply.header('docker-content-digest', path.digest).header('accept-ranges', 'bytes').type('application/octet-stream');
    if (request.method === 'HEAD') return reply.header('content-length', size).code(200).send();
    if (ctx.config.storage.s3.redirect) {
      // The bytes come from the bucket; the client repeats its Range header there.
      const url = await ctx.registry.blobs.directUrl(path.name, path.digest, ctx.config.storage.s3.redirect_ttl);
      if (url) return reply.code(307).header('location', url).header('content-length', 0).send();
    }
    const { body } = await ctx.registry.blobs.open(path.name, path.digest, range);
    if (range) {
      reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`).header('content-length', range.end - range.start + 1);
    } else {
      reply.code(200).header('content-length', size);
    }
    return reply.send(body);
  },

  async DELETE(ctx, path, request, reply) {
    assertDeleteEnabled(ctx);
    checkDigest(path.digest);
    await ctx.registry.blobs.delete(path.name, path.digest, actorOf(request));
    return reply.code(202).header('content-length', 0).send();
  },
};
