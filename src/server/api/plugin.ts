// The management API under /api/ (JSON, NORA's error shape): artifact listings, tags, deletes and
// garbage collection, webhook deliveries, retention and replication status, described by
// /api/openapi.json. Also runs `[gc] schedule`, `[retention] schedule` and the [[replication]]
// rules while serving.
import type { FastifyInstance } from 'fastify';
import { gcRunnerFor } from '../../lib/ops/gc-runner.js';
import { replicationRunnerFor } from '../../lib/ops/replicate/rules/replication-runner.js';
import type { ProtocolContext } from '../protocols.js';
import { artifactRoutes } from './artifacts.js';
import { gcRoutes } from './gc.js';
import { webhookRoutes } from './webhooks.js';
import { retentionRunnerFor } from '../../lib/ops/retention/runner.js';
import { retentionRoutes } from './retention.js';
import { OPENAPI } from './openapi.js';
import { replicationRoutes } from './replication.js';
import { usageRoutes } from './usage.js';
import { snakeKeys } from '../../lib/json/snake-keys.js';

export async function apiPlugin(app: FastifyInstance, { services }: ProtocolContext): Promise<void> {
  const runner = gcRunnerFor(services, (error) => app.log.error({ err: error }, 'garbage collection failed'));
  app.addHook('onReady', async () => runner.schedule());
  app.addHook('onClose', async () => runner.stop());
  const retention = retentionRunnerFor(services, (error) => app.log.error({ err: error }, 'retention failed'));
  app.addHook('onReady', async () => retention.schedule());
  app.addHook('onClose', async () => retention.stop());
  const replication = replicationRunnerFor(services, app.log);
  app.addHook('onReady', async () => replication.start());
  app.addHook('onClose', async () => replication.stop());

  app.get('/openapi.json', { config: { access: 'public' } }, async () => OPENAPI);
  await app.register(async (data) => {
    // Answers use snake_case keys like the configuration (lib objects keep camelCase). The
    // OpenAPI document above is outside this scope: its own keys are OpenAPI's camelCase.
    data.addHook('preSerialization', async (_request, _reply, payload) => snakeKeys(payload));
    await data.register(artifactRoutes, { services });
    await data.register(gcRoutes, { runner });
    await data.register(webhookRoutes, { webhooks: services.webhooks });
    await data.register(retentionRoutes, { runner: retention });
    await data.register(replicationRoutes, { runner: replication });
    await data.register(usageRoutes, { services });
  });
}
