// DELETE .../<name>/<version>/yank and PUT .../unyank: flip the version's `yanked` flag
// (https://doc.rust-lang.org/cargo/reference/registry-web-api.html#yank); answers {"ok":true}.
import type { FastifyInstance } from 'fastify';
import { setYanked } from '../../lib/cargo/yank.js';
import type { Services } from '../../lib/services.js';
import { crateParam, type VersionParams } from './download.js';

export async function yankRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  app.delete('/api/v1/crates/:name/:version/yank', { config: { access: (request) => ({ action: 'delete', format: 'cargo', name: crateParam(request) }) } }, async (request) => {
    const { name, version } = request.params as VersionParams;
    await setYanked(services.store, name, version, true);
    void services.audit.write({ identity: request.identity.name, action: 'yank', resource: `cargo:${name}`, reference: version, outcome: 'ok' });
    return { ok: true };
  });

  app.put('/api/v1/crates/:name/:version/unyank', { config: { access: (request) => ({ action: 'push', format: 'cargo', name: crateParam(request) }) } }, async (request) => {
    const { name, version } = request.params as VersionParams;
    await setYanked(services.store, name, version, false);
    void services.audit.write({ identity: request.identity.name, action: 'unyank', resource: `cargo:${name}`, reference: version, outcome: 'ok' });
    return { ok: true };
  });
}
