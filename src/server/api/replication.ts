// GET /api/replication: the [[replication]] rules' status (waiting items, counts, last run and
// error, failures with their reasons), read by `nora replicate status`.
import type { FastifyInstance } from 'fastify';
import type { ReplicationRunner } from '../../lib/ops/replicate/rules/replication-runner.js';

export async function replicationRoutes(app: FastifyInstance, { runner }: { runner: ReplicationRunner }): Promise<void> {
  app.get('/replication', { config: { access: () => ({ action: 'pull', format: 'nora', name: '' }) } }, async () => ({ rules: await runner.status() }));
}
