// Distribution files and their PEP 658 metadata: GET/HEAD /pypi/files/<project>/<filename>
// and .../<filename>.metadata, from blobs (ETag, ranges) or, for an upstream file not cached
// yet, streamed from the upstream while it is stored.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CommonErrors } from '../../lib/errors/catalog.js';
import type { Services } from '../../lib/services.js';
import { isNormalizedName, normalizeName } from '../../lib/pypi/names.js';
import { isSafeFilename } from '../../lib/pypi/filenames.js';
import { METADATA_SUFFIX } from '../../lib/pypi/file-urls.js';
import type { PypiApi } from '../../lib/pypi/registry.js';
import { sendBlob } from './send-file.js';

type FileRequest = FastifyRequest<{ Params: { project: string; filename: string } }>;

export function fileRoutes(app: FastifyInstance, services: Services, registry: PypiApi): void {
  const config = { access: (request: FastifyRequest) => ({ action: 'pull' as const, format: 'pypi', name: normalizeName((request.params as { project: string }).project) }) };

  app.get('/pypi/files/:project/:filename', { config }, async (request: FileRequest, reply) => {
    const { project, filename } = request.params;
    if (!isNormalizedName(project) || !isSafeFilename(filename)) throw CommonErrors.NOT_FOUND(`file ${project}/${filename}`);
    if (!filename.endsWith(METADATA_SUFFIX) && request.method === 'GET') services.tenants.admitPull('pypi', project);
    const source = await registry.locateFile(project, filename);
    if (!source) throw CommonErrors.NOT_FOUND(`file ${filename} of project ${project}`);
    const isMetadata = filename.endsWith(METADATA_SUFFIX);
    if (!isMetadata && request.method === 'GET') {
      services.events.publish({ type: 'ArtifactPulled', artifact: { format: 'pypi', name: project, reference: filename, ...(source.kind === 'blob' ? { digest: source.digest } : {}) }, actor: request.identity.name });
    }
    const contentType = isMetadata ? 'text/plain; charset=utf-8' : 'application/octet-stream';
    if (source.kind === 'blob') return sendBlob(request, reply, services.blobs, source.digest, contentType);
    reply.header('content-type', contentType);
    if (source.size !== undefined) reply.header('content-length', source.size);
    if (request.method === 'HEAD') { source.body.resume(); return reply.send(Readable.from([])); }
    return reply.send(source.body);
  });
}
