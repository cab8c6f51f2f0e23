// GET /cargo/api/v1/crates/<name>: the crate and its versions in crates.io's shape
// (lib/cargo/crate-info.ts), read by replicas pulling this registry for what the sparse index
// lacks (each version's description). Found up to case, - and _, like the other crate routes.
import type { FastifyInstance } from 'fastify';
import { CargoErrors } from '../../lib/cargo/errors.js';
import { canonicalCrate, crateParam } from './crate-access.js';
import type { CargoRouteContext } from './route-context.js';

export async function crateInfoRoute(app: FastifyInstance, { cargo }: CargoRouteContext): Promise<void> {
  app.get('/api/v1/crates/:name', { config: { access: (request) => ({ action: 'pull', format: 'cargo', name: crateParam(request) }) } }, async (request) => {
    const info = await cargo.info(await canonicalCrate(request, cargo));
    if (!info) throw CargoErrors.CRATE_NOT_FOUND(crateParam(request));
    return info;
  });
}
