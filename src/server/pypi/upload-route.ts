// twine's legacy upload API: POST /pypi/, /pypi (twine does not follow redirects) and /simple/
// with multipart/form-data, `:action=file_upload`, metadata fields and the `content` file.
// Push access is decided per project once the `name` field has arrived (the project is not in
// the URL), before any file byte is stored. https://docs.pypi.org/api/upload/
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { AccessRequest } from '../../lib/auth/access.js';
import { isNoraError } from '../../lib/errors/nora-error.js';
import type { Services } from '../../lib/services.js';
import { PypiErrors } from '../../lib/pypi/errors.js';
import type { PypiService } from '../../lib/pypi/pypi-service.js';
import { prepareUpload } from '../../lib/pypi/upload-form.js';
import { discardReceived, type ReceivedFile } from '../../lib/pypi/upload.js';
import { requestBody } from '../core/request-body.js';
import { readUploadForm } from './multipart.js';

const FIELD_SIZE = 8 * 1024 * 1024;
const FIELDS_SIZE = 16 * 1024 * 1024;
const FORM_OVERHEAD = 64 * 1024 * 1024;

export function uploadRoutes(app: FastifyInstance, services: Services, pypi: PypiService): void {
  const settings = services.config.pypi;

  async function authorize(request: FastifyRequest, project: string): Promise<void> {
    const wanted: AccessRequest = { action: 'push', format: 'pypi', name: project };
    request.access = [wanted];
    await request.authorize(wanted);
  }

  async function upload(request: FastifyRequest, reply: FastifyReply) {
    const contentType = request.headers['content-type'] ?? '';
    if (!contentType.toLowerCase().startsWith('multipart/form-data')) throw PypiErrors.NOT_MULTIPART(contentType);
    let staged: ReceivedFile | undefined;
    const onFile = async (filename: string, stream: Readable, fields: ReadonlyMap<string, string>) => {
      const prepared = prepareUpload(fields, filename);
      await authorize(request, prepared.project);
      await pypi.assertNewFile(prepared);
      staged = await pypi.receiveFile(prepared, stream);
      return { prepared, received: staged };
    };
    let form;
    try {
      form = await readUploadForm(requestBody(request), request.headers, { fieldSize: FIELD_SIZE, fieldsSize: FIELDS_SIZE, bodySize: settings.max_upload_size + FORM_OVERHEAD }, onFile);
    } catch (error) {
      // The form failed after the file was received (a bad part after it): drop what was staged.
      if (staged) await discardReceived(staged).catch(() => undefined);
      // The rest of an oversized body is not read: close the connection after answering.
      if (isNoraError(error) && error.code === 'TOO_LARGE') reply.header('connection', 'close');
      throw error;
    }
    const { prepared, received } = form.result;
    request.bytesIn = Number(request.headers['content-length']) || received.blob.size;
    await pypi.commitUpload(prepared, received, { actor: request.identity.name });
    return reply.code(200).header('content-type', 'text/plain; charset=utf-8').send(`OK: ${prepared.filename} uploaded to ${prepared.project} ${prepared.version}\n`);
  }

  // Push access needs the project name from the body: up front the route asks for push on some
  // pypi project ("" = any; a caller with no push at all is refused before the body is read),
  // and `authorize` above decides on the project as soon as its name is known.
  const config = { access: (): AccessRequest[] => [{ action: 'push', format: 'pypi', name: '' }] };
  app.addContentTypeParser('multipart/form-data', (_request, payload, done) => done(null, payload));
  for (const url of ['/pypi', '/pypi/', '/simple/']) app.post(url, { config }, upload);
}
