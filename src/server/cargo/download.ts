// GET /cargo/api/v1/crates/<name>/<version>/download: the local `dl` endpoint cargo expands
// from config.json; streams the .crate blob (yanked versions too, for existing lockfiles) and
// counts the pull.
import type { FastifyInstance } from 'fastify';
import { authorizeCanonical, crateParam, type VersionParams } from './crate-access.js';
import type { CargoRouteContext } from './route-context.js';

export async function downloadRoute(app: FastifyInstance, { services, cargo }: CargoRouteContext): Promise<void> {
  app.get('/api/v1/crates/:name/:version/download', { config: { access: (request) => ({ action: 'pull', format: 'cargo', name: crateParam(request) }) } }, async (request, reply) => {
    const { name, version } = request.params as VersionParams;
    const crate = await cargo.open(name, version);
    await authorizeCanonical(request, crate.name).then(() => services.tenants.admitPull('cargo', crate.name)).catch((error: unknown) => {
      crate.body.destroy();
      throw error;
    });
    services.events.publish({ type: 'ArtifactPulled', artifact: { format: 'cargo', name: crate.name, reference: version, digest: crate.digest }, actor: request.identity.name });
    return reply
      .type('application/gzip')
      .header('content-length', crate.info.size)
      .header('content-disposition', `attachment; filename="${crate.name}-${crate.version}.crate"`)
      .send(crate.body);
  });
}
