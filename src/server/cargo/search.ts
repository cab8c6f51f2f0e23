// GET /cargo/api/v1/crates?q=&per_page= for `cargo search`
// (https://doc.rust-lang.org/cargo/reference/registry-web-api.html#search).
import type { FastifyInstance } from 'fastify';
import type { CargoRouteContext } from './route-context.js';

const MAX_PER_PAGE = 100;

export async function searchRoute(app: FastifyInstance, { cargo }: CargoRouteContext): Promise<void> {
  app.get('/api/v1/crates', { config: { access: () => ({ action: 'pull', format: 'cargo', name: '' }) } }, async (request) => {
    const query = request.query as { q?: unknown; per_page?: unknown };
    const q = typeof query.q === 'string' ? query.q : '';
    const asked = typeof query.per_page === 'string' && /^\d+$/.test(query.per_page) ? Number(query.per_page) : 10;
    const visible = (name: string) => request.allowed({ action: 'pull', format: 'cargo', name });
    return cargo.search(q, Math.min(Math.max(asked, 1), MAX_PER_PAGE), visible);
  });
}
