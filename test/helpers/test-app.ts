// An in-process NORA over memory storage for HTTP tests through fastify's inject(): no sockets,
// no disk. Config overrides are dotted keys, as flags would give them.
import type { FastifyInstance } from 'fastify';
import type { Authorizer } from '../../src/lib/auth/access.js';
import { loadConfig } from '../../src/lib/config/loader.js';
import type { NoraConfig } from '../../src/lib/config/schema.js';
import { createServices, type Services } from '../../src/lib/services.js';
import { MemoryStore } from '../../src/lib/storage/memory-store.js';
import type { ObjectStore } from '../../src/lib/storage/object-store.js';
import { buildApp } from '../../src/server/app.js';
import type { Protocol } from '../../src/server/protocols.js';

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  config: NoraConfig;
  close(): Promise<void>;
}

export async function buildTestApp(options: { settings?: Record<string, string | number | boolean>; store?: ObjectStore; protocols?: Protocol[]; mutate?: (config: NoraConfig) => void; authorizer?: Authorizer; oidcCooldownMs?: number; now?: () => number; env?: NodeJS.ProcessEnv } = {}): Promise<TestApp> {
  const { config } = loadConfig({ env: {}, cwd: '/nonexistent-nora-test-dir', flags: { 'storage.backend': 'memory', 'log.level': 'silent', ...options.settings } });
  options.mutate?.(config);
  const services = await createServices(config, { store: options.store ?? new MemoryStore(), ...(options.oidcCooldownMs !== undefined ? { oidcCooldownMs: options.oidcCooldownMs } : {}), ...(options.now ? { now: options.now } : {}), ...(options.env ? { env: options.env } : {}) });
  if (options.authorizer) services.authorizer = options.authorizer;
  const app = await buildApp({ services, ...(options.protocols ? { protocols: options.protocols } : {}) });
  return { app, services, config, close: async () => { await app.close(); await services.close(); } };
}
