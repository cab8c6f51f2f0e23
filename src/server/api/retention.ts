// /api/retention: run the retention rules in this server now (POST, admin; 202 with the pass's
// state, `{"dry_run": true}` only plans) and read the running or last pass (GET).
import type { FastifyInstance } from 'fastify';
import type { RetentionRunner } from '../../lib/ops/retention/runner.js';

export async function retentionRoutes(app: FastifyInstance, { runner }: { runner: RetentionRunner }): Promise<void> {
  app.get('/retention', { config: { access: () => ({ action: 'pull', format: 'nora', name: '' }) } }, async () => runner.state);

  app.post('/retention', { config: { access: () => ({ action: 'admin', format: 'nora', name: '' }) } }, async (request, reply) => {
    const body = (request.body ?? {}) as { dry_run?: unknown };
    void runner.start({ dryRun: body.dry_run === true }).catch(() => undefined);
    return reply.code(202).send(runner.state);
  });
}
