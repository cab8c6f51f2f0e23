// The repository path of a /maven2/ request exactly as the client sent it (no decoding, no
// query), and the access each kind of path needs: `groupId/artifactId` path form as the name.
import type { FastifyRequest } from 'fastify';
import type { AccessRequest } from '../../lib/auth/access.js';
import { artifactName, isSnapshot, parseMavenPath, parseVersionPath, type MavenPath } from '../../lib/maven/coordinates.js';

export const PREFIX = '/maven2';

export function repositoryPath(request: FastifyRequest): string {
  const raw = (request.raw.url ?? '/').split('?', 1)[0]!;
  return raw.slice(PREFIX.length).replace(/^\//, '');
}

/** The access name of a parsed path: the artifact for files and metadata, the directory otherwise. */
export function accessName(path: MavenPath): string {
  switch (path.kind) {
    case 'file':
      return artifactName(path.artifact);
    case 'metadata':
      return (path.dir.length >= 3 && isSnapshot(path.dir.at(-1)!) ? path.dir.slice(0, -1) : path.dir).join('/');
    case 'directory':
      return path.segments.join('/');
  }
}

export const readAccess = (request: FastifyRequest): AccessRequest => ({ action: 'pull', format: 'maven', name: accessName(parseMavenPath(repositoryPath(request))) });
export const pushAccess = (request: FastifyRequest): AccessRequest => ({ action: 'push', format: 'maven', name: accessName(parseMavenPath(repositoryPath(request))) });
export const deleteAccess = (request: FastifyRequest): AccessRequest => ({ action: 'admin', format: 'maven', name: artifactName(parseVersionPath(repositoryPath(request)).artifact) });
