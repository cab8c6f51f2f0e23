// /api/gc: start a garbage collection in this server (POST, 202 with its state) and follow it (GET).
import type { FastifyInstance } from 'fastify';
import type { GcRunner } from '../../lib/ops/gc-runner.js';
import { parseDuration } from '../../lib/config/units.js';
import { OpsErrors } from '../../lib/ops/errors.js';
import { quote } from '../../lib/errors/quote.js';

export async function gcRoutes(app: FastifyInstance, { runner }: { runner: GcRunner }): Promise<void> {
  app.get('/gc', { config: { access: () => ({ action: 'pull', format: 'nora', name: '' }) } }, async () => runner.state);

  app.post('/gc', { config: { access: () => ({ action: 'admin', format: 'nora', name: '' }) } }, async (request, reply) => {
    const body = (request.body ?? {}) as { dry_run?: unknown; grace?: unknown };
    const grace = typeof body.grace === 'string' || typeof body.grace === 'number' ? body.grace : undefined;
    const graceMs = grace === undefined ? undefined : parseDuration(grace);
    if (body.grace !== undefined && graceMs === undefined) throw OpsErrors.BAD_REFERENCE(quote(body.grace), 'grace must be a duration such as "30m"');
    void runner.start({ dryRun: body.dry_run === true, ...(graceMs === undefined ? {} : { graceMs }) }).catch(() => undefined);
    return reply.code(202).send(runner.state);
  });
}
