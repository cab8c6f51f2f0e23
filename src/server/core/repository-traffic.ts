// Bandwidth per repository and per tenant: after each response, the bytes received and sent are
// added to the name the route declared access to (a blob GET counts for its repository) and to
// the tenant owning it. Reads the counts the access log keeps (request.bytesIn, reply.bytesOut).
import type { FastifyInstance } from 'fastify';
import type { RepositoryMetrics } from '../../lib/metrics/repository-metrics.js';
import type { TenantService } from '../../lib/tenants/tenant-service.js';

export function registerRepositoryTraffic(app: FastifyInstance, tenants: TenantService, repositories: RepositoryMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const target = request.access?.find((a) => a.name !== '' && a.format !== 'nora');
    if (!target) return;
    const declared = Number(request.headers['content-length']);
    const bytesIn = request.bytesIn ?? (Number.isFinite(declared) ? declared : 0);
    repositories.recordBytes(target.format, target.name, bytesIn, reply.bytesOut);
    if (tenants.configured) tenants.recordBytes(target.format, target.name, bytesIn, reply.bytesOut);
  });
}
