// The Cargo registry under /cargo: the local sparse index and web API, and the crates.io cache
// at /cargo/crates-io/, all over the cargo service the composition root built. Request bodies
// (publish frames, owner lists) are read raw by their routes, because cargo sends them without
// a usable Content-Type.
import type { FastifyInstance } from 'fastify';
import type { ProtocolContext } from '../protocols.js';
import { crateInfoRoute } from './crate-info.js';
import { cratesIoRoutes } from './crates-io.js';
import { downloadRoute } from './download.js';
import { cargoNotFound, renderCargoError } from './error-shape.js';
import { indexRoutes } from './index-routes.js';
import { ownerRoutes } from './owners.js';
import { publishRoute } from './publish.js';
import { searchRoute } from './search.js';
import { yankRoutes } from './yank.js';

export async function cargoPlugin(app: FastifyInstance, { services, errorShapes }: ProtocolContext): Promise<void> {
  errorShapes.register('/cargo/', renderCargoError, cargoNotFound);
  app.removeAllContentTypeParsers();
  // Leave the body unread: each route streams it itself (core/request-body.ts).
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  const options = { services, cargo: services.formats.cargo };
  await app.register(indexRoutes, options);
  await app.register(publishRoute, options);
  await app.register(downloadRoute, options);
  await app.register(yankRoutes, options);
  await app.register(ownerRoutes, options);
  await app.register(searchRoute, options);
  await app.register(crateInfoRoute, options);
  await app.register(cratesIoRoutes, options);
}
