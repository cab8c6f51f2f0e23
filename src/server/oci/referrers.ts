// GET /v2/<name>/referrers/<digest>: an image index of the manifests whose subject is <digest>
// (empty for an unknown digest), filtered by ?artifactType= with OCI-Filters-Applied.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers
import { checkDigest } from '../../lib/oci/names.js';
import { OCI_INDEX } from '../../lib/oci/media-types.js';
import type { ResourceHandlers } from './context.js';

export const referrerHandlers: ResourceHandlers<'referrers'> = {
  async GET(ctx, path, request, reply) {
    checkDigest(path.digest);
    const artifactType = (request.query as Record<string, string | undefined>).artifactType;
    const index = await ctx.registry.referrers.index(path.name, path.digest, artifactType || undefined);
    if (artifactType) reply.header('oci-filters-applied', 'artifactType');
    return reply.code(200).type(OCI_INDEX).send(Buffer.from(JSON.stringify(index)));
  },
};
