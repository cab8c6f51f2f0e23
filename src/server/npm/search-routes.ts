// GET /npm/-/v1/search?text=&size=&from= (`npm search`): local packages, then upstream results.
import type { FastifyInstance } from 'fastify';
import { NpmErrors } from '../../lib/npm/errors.js';
import { npmAccess } from './npm-request.js';
import type { NpmRouteContext } from './route-context.js';

function integer(value: unknown, fallback: number, min: number, max: number, key: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw NpmErrors.BAD_PUBLISH(`search parameter ${key} must be an integer from ${min} to ${max}`);
  return n;
}

export function registerSearchRoutes(app: FastifyInstance, ctx: NpmRouteContext): void {
  app.get('/-/v1/search', { config: { access: () => npmAccess('pull', '') } }, async (request) => {
    const query = request.query as Record<string, string | undefined>;
    return ctx.registry.search({
      text: typeof query.text === 'string' ? query.text.slice(0, 256) : '',
      size: integer(query.size, 20, 1, 250, 'size'),
      from: integer(query.from, 0, 0, 10_000, 'from'),
    }, (name) => request.allowed({ action: 'pull', format: 'npm', name }));
  });
}
