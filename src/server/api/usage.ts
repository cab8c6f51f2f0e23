// GET /api/usage and /api/usage/{tenant}: each tenant's storage against its quota, artifact
// counts, largest names, and this server's pushes, pulls and bandwidth. An admin (admin on
// nora) sees every tenant; a member sees the tenants it belongs to; others see none.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../lib/services.js';
import type { Tenant } from '../../lib/tenants/directory.js';
import { TenantErrors } from '../../lib/tenants/errors.js';
import { refusal } from '../core/route-access.js';

const ADMIN = { action: 'admin' as const, format: 'nora', name: '' };

export async function usageRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { tenants } = services;
  const visible = async (request: FastifyRequest): Promise<Tenant[]> => {
    if (!services.config.auth.enabled || (await request.allowed(ADMIN))) return tenants.directory.list;
    return request.identity.kind === 'anonymous' ? [] : tenants.directory.memberships(request.identity.name);
  };
  // Who may see what is decided per tenant in the handler (members see their own).
  const access = { access: () => [] };

  app.get('/usage', { config: access }, async (request) => {
    const shown = await visible(request);
    if (shown.length === 0 && request.identity.kind === 'anonymous' && services.config.auth.enabled) throw refusal(request.identity, [ADMIN]);
    return { items: await Promise.all(shown.map((t) => tenants.report(t.name))) };
  });

  app.get('/usage/:tenant', { config: access }, async (request) => {
    const { tenant } = request.params as { tenant: string };
    if (!tenants.directory.byName(tenant)) throw TenantErrors.TENANT_UNKNOWN(tenant);
    if (!(await visible(request)).some((t) => t.name === tenant)) throw refusal(request.identity, [{ action: 'pull', format: 'nora', name: `usage/${tenant}` }]);
    return tenants.report(tenant);
  });
}
