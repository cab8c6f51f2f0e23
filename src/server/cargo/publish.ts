// PUT /cargo/api/v1/crates/new: cargo's length-prefixed publish body, sent without a
// Content-Type. The frame is read from the raw request stream (limits from [cargo]); the crate
// name is known only once the metadata is read, so push on that name is authorized then.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessRequest } from '../../lib/auth/access.js';
import { ByteReader, readPublishFrame } from '../../lib/cargo/frame.js';
import { parsePublishMetadata } from '../../lib/cargo/metadata.js';
import { PUBLISH_WARNINGS } from '../../lib/cargo/publish.js';
import { requestBody } from '../core/request-body.js';
import type { CargoRouteContext } from './route-context.js';

function contentLength(header: string | undefined): number | undefined {
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
}

export async function publishRoute(app: FastifyInstance, { services, cargo: service }: CargoRouteContext): Promise<void> {
  const { cargo } = services.config;
  // A refused publish leaves the rest of the body to the error handler, which drains it (or
  // closes the connection after answering), so cargo always sees the answer.
  app.put('/api/v1/crates/new', { config: { access: () => ({ action: 'push', format: 'cargo', name: '' }) } },
    async (request) => publish(request, new ByteReader(requestBody(request)[Symbol.asyncIterator]())));

  async function publish(request: FastifyRequest, reader: ByteReader): Promise<typeof PUBLISH_WARNINGS> {
    const frame = await readPublishFrame(reader, { maxMetadataSize: cargo.max_metadata_size, maxCrateSize: cargo.max_crate_size },
      contentLength(request.headers['content-length']));
    const meta = parsePublishMetadata(frame.metadata);
    const need: AccessRequest = { action: 'push', format: 'cargo', name: meta.name };
    request.access = [need];
    await request.authorize(need);
    await service.publishCrate({ meta, crate: frame.crate, crateLength: frame.crateLength, actor: request.identity.name });
    request.log.info({ crate: meta.name, version: meta.vers }, 'crate published');
    return PUBLISH_WARNINGS;
  }
}
