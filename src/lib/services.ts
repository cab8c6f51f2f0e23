// The composition root: everything a NORA process needs, built once from a Config. `serve` and
// the operator commands (gc, backup, migrate, ...) all start here, so they see the same store.
import path from 'node:path';
import type { NoraConfig } from './config/schema.js';
import type { ObjectStore } from './storage/object-store.js';
import { openStore, type OpenStoreOptions } from './storage/open-store.js';
import { meteredStore } from './storage/metered-store.js';
import { watchWrites } from './storage/write-health.js';
import { BlobStore } from './blobs/blob-store.js';
import { EventBus } from './events/bus.js';
import { AllowAll, type Authorizer } from './auth/access.js';
import { Metrics } from './metrics/metrics.js';
import { AuditLog } from './auth/audit-log.js';
import { AuthService } from './auth/auth-service.js';
import { PullTracker } from './pulls/pull-tracker.js';
import { createFormats, type Formats } from './formats/create-formats.js';
import type { UpstreamLog } from './upstream/log.js';

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
  /** Every format's service (formats/format-service.ts), built once here. */
  formats: Formats;
  /** Last-pull times and pull counts, written in batches. */
  pulls: PullTracker;
  startedAt: Date;
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** Use this store instead of opening the configured one (tests). */
  store?: ObjectStore;
  /**
   * How the configured store is opened (storage/open-store.ts): `serve` and `restore` create it,
   * every other command needs an existing one (mode 'existing'); `serve` also probes a write.
   */
  open?: OpenStoreOptions;
  /** Collect Node process metrics (memory, event loop); on for `serve`. */
  processMetrics?: boolean;
  onEventError?: (error: unknown) => void;
  /** Cooldown between JWKS refetches of an OIDC provider (tests shorten it). */
  oidcCooldownMs?: number;
  /** Where format services log (pull-through cache warnings); silent when absent. */
  log?: UpstreamLog;
  /** How often pull counts are written to the store (default 30 s; 0: only on close or flush()). */
  pullFlushMs?: number;
  /** The clock login throttling reads (tests move it). */
  now?: () => number;
}

/** The audit log file `config` names ('' when it is kept in memory only). */
export function auditFileOf(config: NoraConfig): string {
  return config.audit.path || (config.storage.backend === 'memory' ? '' : path.join(config.storage.data_dir, 'audit.log'));
}

/**
 * The store key the audit log file shows up as when it lies inside an fs store's directory
 * (it is a local file, not an artifact: operator copies leave it where it is), else undefined.
 */
export function auditKeyOf(config: NoraConfig): string | undefined {
  if (config.storage.backend !== 'fs') return undefined;
  const relative = path.relative(path.resolve(config.storage.data_dir), path.resolve(auditFileOf(config)));
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : undefined;
}

const SILENT: UpstreamLog = { warn: () => undefined };

export async function createServices(config: NoraConfig, options: ServiceOptions = {}): Promise<Services> {
  const metrics = new Metrics({ processMetrics: options.processMetrics ?? false });
  const store = meteredStore(watchWrites(options.store ?? (await openStore(config.storage, options.open))), metrics);
  const blobs = new BlobStore(store);
  const events = new EventBus(options.onEventError);
  const auditFile = auditFileOf(config);
  const audit = new AuditLog(auditFile);
  const auth = new AuthService(config, store, audit, { ...(options.oidcCooldownMs !== undefined ? { oidcCooldownMs: options.oidcCooldownMs } : {}), ...(options.now ? { now: options.now } : {}) });
  const unfollow = audit.follow(events);
  const pulls = new PullTracker({ store, onError: (error) => options.onEventError?.(error) });
  const unfollowPulls = pulls.follow(events);
  if ((options.pullFlushMs ?? 30_000) > 0) pulls.start(options.pullFlushMs ?? 30_000);
  const built = createFormats({ config, store, blobs, events, pulls, metrics, log: options.log ?? SILENT });
  return {
    config,
    store,
    blobs,
    events,
    authorizer: config.auth.enabled ? auth.rules : new AllowAll(),
    auth,
    audit,
    metrics,
    formats: built.formats,
    pulls,
    startedAt: new Date(),
    close: async () => {
      unfollow();
      unfollowPulls();
      pulls.stop();
      await pulls.flush();
      await built.close();
      await audit.flush();
      await store.close();
    },
  };
}
