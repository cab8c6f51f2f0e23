// Bandwidth per tenant: after each response, the bytes received and sent are added to the tenant
// owning the name the route declared access to (a blob GET counts for its repository's tenant).
// Reads the counts the access log keeps (request.bytesIn, reply.bytesOut).
import type { FastifyInstance } from 'fastify';
import type { TenantService } from '../../lib/tenants/tenant-service.js';

export function registerTenantTraffic(app: FastifyInstance, tenants: TenantService): void {
  if (!tenants.configured) return;
  app.addHook('onResponse', async (request, reply) => {
    const target = request.access?.find((a) => a.name !== '' && a.format !== 'nora');
    if (!target) return;
    const declared = Number(request.headers['content-length']);
    const bytesIn = request.bytesIn ?? (Number.isFinite(declared) ? declared : 0);
    tenants.recordBytes(target.format, target.name, bytesIn, reply.bytesOut);
  });
}
