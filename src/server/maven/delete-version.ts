// DELETE of one version directory (group/path/artifactId/version), an administrator's action.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseVersionPath } from '../../lib/maven/coordinates.js';
import type { MavenContext } from '../../lib/maven/context.js';
import { deleteVersion } from '../../lib/maven/delete-version.js';
import { repositoryPath } from './request-path.js';

export function deleteHandler(ctx: MavenContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const { artifact, version } = parseVersionPath(repositoryPath(request));
    const files = await deleteVersion(ctx, artifact, version, request.identity.name);
    return reply.code(200).type('text/plain; charset=utf-8').send(`deleted ${artifact.groupPath.join('.')}:${artifact.artifactId}:${version} (${files} files)\n`);
  };
}
