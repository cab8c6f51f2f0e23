// The management API under /api/ (JSON, NORA's error shape): artifact listings, tags, deletes and
// garbage collection, described by /api/openapi.json. Also runs `[gc] schedule` while serving.
import type { FastifyInstance } from 'fastify';
import { GcRunner } from '../../lib/ops/gc-runner.js';
import type { ProtocolContext } from '../protocols.js';
import { artifactRoutes } from './artifacts.js';
import { gcRoutes } from './gc.js';
import { OPENAPI } from './openapi.js';
import { usageRoutes } from './usage.js';

export async function apiPlugin(app: FastifyInstance, { services }: ProtocolContext): Promise<void> {
  const runner = new GcRunner(services, (error) => app.log.error({ err: error }, 'garbage collection failed'));
  app.addHook('onReady', async () => runner.schedule());
  app.addHook('onClose', async () => runner.stop());

  app.get('/openapi.json', { config: { access: 'public' } }, async () => OPENAPI);
  await app.register(artifactRoutes, { services });
  await app.register(gcRoutes, { runner });
  await app.register(usageRoutes, { services });
}
