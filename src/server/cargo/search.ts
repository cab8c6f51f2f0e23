// GET /cargo/api/v1/crates?q=&per_page= for `cargo search`
// (https://doc.rust-lang.org/cargo/reference/registry-web-api.html#search).
import type { FastifyInstance } from 'fastify';
import { CommonErrors } from '../../lib/errors/catalog.js';
import { queryInteger } from '../core/query-integer.js';
import type { CargoRouteContext } from './route-context.js';

const MAX_PER_PAGE = 100;

export async function searchRoute(app: FastifyInstance, { cargo }: CargoRouteContext): Promise<void> {
  app.get('/api/v1/crates', { config: { access: () => ({ action: 'pull', format: 'cargo', name: '' }) } }, async (request) => {
    const query = request.query as { q?: unknown; per_page?: unknown };
    const q = typeof query.q === 'string' ? query.q : '';
    // Any integer is clamped to 1..100 (cargo caps --limit itself); anything else is refused.
    const asked = queryInteger(query.per_page, { name: 'per_page', min: 0, max: Number.MAX_SAFE_INTEGER }, CommonErrors.INVALID_QUERY) ?? 10;
    const visible = (name: string) => request.allowed({ action: 'pull', format: 'cargo', name });
    return cargo.search(q, Math.min(Math.max(asked, 1), MAX_PER_PAGE), visible);
  });
}
