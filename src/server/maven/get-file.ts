// GET/HEAD of repository paths: deployed and cached files (streamed from the blob store),
// computed checksums, generated maven-metadata.xml, and HTML directory listings. Files carry
// ETag (their sha1), Last-Modified and X-Checksum-* headers, and conditional requests get 304.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommonErrors } from '../../lib/errors/catalog.js';
import { artifactName, parseMavenPath } from '../../lib/maven/coordinates.js';
import type { MavenService } from '../../lib/maven/maven-service.js';
import type { Resource } from '../../lib/maven/repository.js';
import type { Services } from '../../lib/services.js';
import { directoryPage } from './directory-page.js';
import { repositoryPath } from './request-path.js';

const CONTENT_TYPES: Array<[RegExp, string]> = [
  [/\.(md5|sha1|sha256|sha512)$/, 'text/plain; charset=utf-8'],
  [/\.(pom|xml)$/, 'application/xml'],
  [/\.(jar|war|ear)$/, 'application/java-archive'],
  [/\.asc$/, 'text/plain; charset=utf-8'],
  [/\.module$/, 'application/json'],
];

const contentTypeOf = (path: string) => CONTENT_TYPES.find(([re]) => re.test(path))?.[1] ?? 'application/octet-stream';

function notModified(request: FastifyRequest, etag: string, modified: Date): boolean {
  const match = request.headers['if-none-match'];
  if (match !== undefined) return match.split(',').some((t) => t.trim() === etag || t.trim() === '*');
  const since = Date.parse(request.headers['if-modified-since'] ?? '');
  return !Number.isNaN(since) && Math.floor(modified.getTime() / 1000) * 1000 <= since;
}

async function send(request: FastifyRequest, reply: FastifyReply, services: Services, resource: Resource): Promise<FastifyReply> {
  if (resource.kind === 'stream') {
    if (resource.size !== undefined) reply.header('content-length', resource.size);
    if (request.method === 'HEAD') resource.body.on('error', () => undefined).resume();
    return reply.send(request.method === 'HEAD' ? undefined : resource.body);
  }
  const etag = `"${resource.kind === 'blob' ? resource.file.sha1 : resource.etag}"`;
  const modified = resource.kind === 'blob' ? new Date(resource.file.modified) : resource.modified;
  reply.header('etag', etag).header('last-modified', modified.toUTCString());
  if (resource.kind === 'blob') reply.header('x-checksum-sha1', resource.file.sha1).header('x-checksum-md5', resource.file.md5).header('x-checksum-sha256', resource.file.sha256);
  if (notModified(request, etag, modified)) return reply.code(304).send();
  if (resource.kind === 'text') {
    reply.header('content-length', Buffer.byteLength(resource.text));
    return reply.send(request.method === 'HEAD' ? undefined : resource.text);
  }
  reply.header('content-length', resource.file.size);
  if (request.method === 'HEAD') return reply.send();
  const { body } = await services.blobs.open(resource.file.digest);
  return reply.send(body);
}

export function getHandler(services: Services, maven: MavenService) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const raw = repositoryPath(request);
    const path = parseMavenPath(raw);
    if (path.kind === 'directory') {
      const entries = await maven.listDirectory(path.segments);
      if (!entries) throw CommonErrors.NOT_FOUND(`/maven2/${raw}`);
      return reply.type('text/html; charset=utf-8').send(directoryPage(raw, entries));
    }
    // A version's POM is its pull (its jar, sources and checksums come with it).
    if (path.kind === 'file' && !path.checksum && request.method === 'GET' && path.filename.endsWith('.pom')) services.tenants.admitPull('maven', artifactName(path.artifact));
    const resource = await maven.repository.resolve(path, `/maven2/${raw}`);
    reply.type(contentTypeOf(raw));
    if (path.kind === 'file' && !path.checksum && request.method === 'GET') {
      services.events.publish({ type: 'ArtifactPulled', artifact: { format: 'maven', name: artifactName(path.artifact), reference: `${path.version}/${path.filename}` }, actor: request.identity.name });
    }
    return send(request, reply, services, resource);
  };
}
