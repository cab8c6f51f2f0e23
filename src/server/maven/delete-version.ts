// DELETE of one version directory (group/path/artifactId/version), an administrator's action.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommonErrors } from '../../lib/errors/catalog.js';
import { artifactName, mavenName, parseVersionPath } from '../../lib/maven/coordinates.js';
import type { MavenService } from '../../lib/maven/maven-service.js';
import { repositoryPath } from './request-path.js';

export function deleteHandler(maven: MavenService) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const { artifact, version } = parseVersionPath(repositoryPath(request));
    const deleted = await maven.deleteVersion(artifact, version, { actor: request.identity.name });
    if (!deleted) throw CommonErrors.NOT_FOUND(`${artifactName(artifact)}/${version}`);
    return reply.code(200).type('text/plain; charset=utf-8').send(`deleted ${mavenName(artifact)}:${version} (${deleted.files} files)\n`);
  };
}
