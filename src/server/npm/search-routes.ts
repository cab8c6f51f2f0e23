// GET /npm/-/v1/search?text=&size=&from= (`npm search`): local packages, then upstream results.
import type { FastifyInstance } from 'fastify';
import { CommonErrors } from '../../lib/errors/catalog.js';
import { queryInteger } from '../core/query-integer.js';
import { npmAccess } from './npm-request.js';
import type { NpmRouteContext } from './route-context.js';

export function registerSearchRoutes(app: FastifyInstance, ctx: NpmRouteContext): void {
  app.get('/-/v1/search', { config: { access: () => npmAccess('pull', '') } }, async (request) => {
    const query = request.query as Record<string, string | undefined>;
    return ctx.registry.search({
      text: typeof query.text === 'string' ? query.text.slice(0, 256) : '',
      size: queryInteger(query.size, { name: 'size', min: 1, max: 250 }, CommonErrors.INVALID_QUERY) ?? 20,
      from: queryInteger(query.from, { name: 'from', min: 0, max: 10_000 }, CommonErrors.INVALID_QUERY) ?? 0,
    }, (name) => request.allowed({ action: 'pull', format: 'npm', name }));
  });
}
