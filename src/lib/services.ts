// The composition root: everything a NORA process needs, built once from a Config. `serve` and
// the operator commands (gc, backup, migrate, ...) all start here, so they see the same store.
import path from 'node:path';
import type { NoraConfig } from './config/schema.js';
import type { ObjectStore } from './storage/object-store.js';
import { openStore } from './storage/open-store.js';
import { meteredStore } from './storage/metered-store.js';
import { watchWrites } from './storage/write-health.js';
import { BlobStore } from './blobs/blob-store.js';
import { EventBus } from './events/bus.js';
import { AllowAll, type Authorizer } from './auth/access.js';
import { Metrics } from './metrics/metrics.js';
import { AuditLog } from './auth/audit-log.js';
import { AuthService } from './auth/auth-service.js';

export interface Services {
  config: NoraConfig;
  store: ObjectStore;
  blobs: BlobStore;
  events: EventBus;
  authorizer: Authorizer;
  /** Identities, tokens, keys and OIDC exchange; `auth.enabled` says whether they are enforced. */
  auth: AuthService;
  audit: AuditLog;
  metrics: Metrics;
  startedAt: Date;
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** Use this store instead of opening the configured one (tests). */
  store?: ObjectStore;
  /** Collect Node process metrics (memory, event loop); on for `serve`. */
  processMetrics?: boolean;
  onEventError?: (error: unknown) => void;
  /** Cooldown between JWKS refetches of an OIDC provider (tests shorten it). */
  oidcCooldownMs?: number;
}

export async function createServices(config: NoraConfig, options: ServiceOptions = {}): Promise<Services> {
  const metrics = new Metrics({ processMetrics: options.processMetrics ?? false });
  const store = meteredStore(watchWrites(options.store ?? (await openStore(config.storage))), metrics);
  const blobs = new BlobStore(store);
  const events = new EventBus(options.onEventError);
  const auditFile = config.audit.path || (config.storage.backend === 'memory' ? '' : path.join(config.storage.data_dir, 'audit.log'));
  const audit = new AuditLog(auditFile);
  const auth = new AuthService(config, store, audit, { ...(options.oidcCooldownMs !== undefined ? { oidcCooldownMs: options.oidcCooldownMs } : {}) });
  const unfollow = audit.follow(events);
  return {
    config,
    store,
    blobs,
    events,
    authorizer: config.auth.enabled ? auth.rules : new AllowAll(),
    auth,
    audit,
    metrics,
    startedAt: new Date(),
    close: async () => {
      unfollow();
      await audit.flush();
      await store.close();
    },
  };
}
