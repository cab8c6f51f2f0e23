// DELETE .../<name>/<version>/yank and PUT .../unyank: flip the version's `yanked` flag
// (https://doc.rust-lang.org/cargo/reference/registry-web-api.html#yank); answers {"ok":true}.
import type { FastifyInstance } from 'fastify';
import { canonicalCrate, crateParam, type VersionParams } from './crate-access.js';
import type { CargoRouteContext } from './route-context.js';

export async function yankRoutes(app: FastifyInstance, { cargo }: CargoRouteContext): Promise<void> {
  app.delete('/api/v1/crates/:name/:version/yank', { config: { access: (request) => ({ action: 'delete', format: 'cargo', name: crateParam(request) }) } }, async (request) => {
    const { version } = request.params as VersionParams;
    await cargo.setYanked(await canonicalCrate(request, cargo), version, true, { actor: request.identity.name });
    return { ok: true };
  });

  app.put('/api/v1/crates/:name/:version/unyank', { config: { access: (request) => ({ action: 'push', format: 'cargo', name: crateParam(request) }) } }, async (request) => {
    const { version } = request.params as VersionParams;
    await cargo.setYanked(await canonicalCrate(request, cargo), version, false, { actor: request.identity.name });
    return { ok: true };
  });
}
