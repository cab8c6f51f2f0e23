// Liveness, readiness and Prometheus metrics. /ready is 503 while storage is unreachable or
// full (writes fail), so load balancers stop sending work that cannot succeed. The reason says
// which, without the paths and keys the log line carries. /metrics is public unless
// [metrics] public = false (then it needs the "metrics" action: metrics:* or an admin).
import type { FastifyInstance } from 'fastify';
import { isStorageError } from '../../lib/storage/errors.js';
import type { Services } from '../../lib/services.js';
import { NORA_VERSION } from '../../lib/version.js';

export async function healthRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  app.get('/health', { config: { access: 'public' } }, async () => ({
    status: 'ok',
    version: NORA_VERSION,
    uptime_seconds: Math.round((Date.now() - services.startedAt.getTime()) / 1000),
  }));

  app.get('/ready', { config: { access: 'public' } }, async (request, reply) => {
    try {
      await services.store.check();
      return { status: 'ready', storage: services.store.kind };
    } catch (error) {
      request.log.warn({ err: error }, 'storage not ready');
      const full = isStorageError(error, 'STORAGE_FULL');
      const reason = full ? 'the store is full: writes fail until space is freed' : 'the storage backend cannot be reached or written';
      return reply.code(503).send({ status: 'unavailable', storage: services.store.kind, code: full ? 'STORAGE_FULL' : 'STORAGE_UNAVAILABLE', reason });
    }
  });

  if (services.config.metrics.enabled) {
    // Private metrics need the "metrics" action, which no pull/push permission implies.
    const access = services.config.metrics.public ? 'public' as const : () => ({ action: 'metrics' as const, format: 'nora', name: '' });
    app.get('/metrics', { config: { access } }, async (_request, reply) => {
      reply.type(services.metrics.registry.contentType);
      return services.metrics.registry.metrics();
    });
  }
}
