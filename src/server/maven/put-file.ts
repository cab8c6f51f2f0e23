// PUT (deploy) of repository paths: artifact files stream into the blob store; checksum files
// are verified (or kept until their file lands); client maven-metadata.xml and its checksums are
// read and discarded, since the server serves metadata it generates itself.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseMavenPath } from '../../lib/maven/coordinates.js';
import { MavenErrors } from '../../lib/maven/errors.js';
import type { MavenService } from '../../lib/maven/maven-service.js';
import { readBoundedBody, requestBody } from '../core/request-body.js';
import { handOverChunks } from '../../lib/streams/handed-over.js';
import { repositoryPath } from './request-path.js';

const CHECKSUM_BODY_LIMIT = 4096;
/** Client maven-metadata.xml is read (for plugin prefixes) and discarded; real ones are a few KiB. */
const METADATA_BODY_LIMIT = 1024 * 1024;

export function putHandler(maven: MavenService) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const raw = repositoryPath(request);
    const path = parseMavenPath(raw);
    if (path.kind === 'directory') throw MavenErrors.MAVEN_INVALID_PATH(raw, 'a directory cannot be deployed; PUT files below it');
    if (path.kind === 'metadata') {
      const xml = (await readBoundedBody(request, METADATA_BODY_LIMIT, raw)).toString('utf8');
      // Only the plugin prefixes of a group are taken from the client; the rest is generated.
      if (!path.checksum) await maven.recordPlugins(path.dir, xml, request.identity.name);
      return reply.code(201).send();
    }
    if (path.checksum) {
      const text = (await readBoundedBody(request, CHECKSUM_BODY_LIMIT, raw)).toString('utf8');
      await maven.deployChecksum(path, path.checksum, text);
      return reply.code(201).send();
    }
    const length = Number(request.headers['content-length']);
    // Handed over (lib/streams/handed-over.ts): the deploy reads each chunk once, into the blob store.
    await maven.deployFile(path, handOverChunks(requestBody(request)), { actor: request.identity.name, ...(Number.isSafeInteger(length) && request.headers['content-length'] !== undefined ? { contentLength: length } : {}) });
    return reply.code(201).send();
  };
}
