// The composition root: everything a NORA process needs, built once from a Config. `serve` and
// the operator commands (gc, backup, migrate, ...) all start here, so they see the same store.
import path from 'node:path';
import type { NoraConfig } from './config/schema.js';
import type { ObjectStore } from './storage/object-store.js';
import { openStore, type OpenStoreOptions } from './storage/open-store.js';
import { meteredStore } from './storage/metered-store.js';
import { tracedStore } from './storage/traced-store.js';
import type { Tracing } from './tracing/start-tracing.js';
import { watchWrites } from './storage/write-health.js';
import { BlobStore } from './blobs/blob-store.js';
import { EventBus } from './events/bus.js';
import { AllowAll, type Authorizer } from './auth/access.js';
import { Metrics } from './metrics/metrics.js';
import { RepositoryMetrics } from './metrics/repository-metrics.js';
import { AuditLog } from './auth/audit-log.js';
import { AuthService } from './auth/auth-service.js';
import { PullTracker } from './pulls/pull-tracker.js';
import { createFormats, type Formats } from './formats/create-formats.js';
import type { UpstreamLog } from './upstream/log.js';
import { WebhookService } from './webhooks/webhook-service.js';
import { TenantService } from './tenants/tenant-service.js';

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
  /** Pushes, pulls and bytes per repository (the [metrics] cardinality guard applies). */
  repositoryMetrics: RepositoryMetrics;
  /** Every format's service (formats/format-service.ts), built once here. */
  formats: Formats;
  /** Last-pull times and pull counts, written in batches. */
  pulls: PullTracker;
  /** [[webhooks]]: every process queues matching events in the store; `serve` delivers them (webhooks.start). */
  webhooks: WebhookService;
  /** Tenants: quotas, push/pull limits, usage (lib/tenants); inert without [[tenants]]. */
  tenants: TenantService;
  /** [tracing] on: the tracer request spans start from (server/core/tracing.ts); absent when off. */
  tracing?: Tracing;
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
  /** The clock login throttling and webhook queues read (tests move it). */
  now?: () => number;
  /** Where webhook secrets (secret_env) are read (default process.env). */
  env?: NodeJS.ProcessEnv;
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
  // Loaded only when configured: a server without tracing never evaluates the tracer or exporter.
  const tracing = config.tracing.endpoint === '' ? undefined
    : (await import('./tracing/start-tracing.js')).startTracing(config.tracing, (message) => options.log?.warn({ component: 'tracing' }, message));
  // The fs store keeps the top folder of each format's in-flight state (an OCI repository's
  // _uploads/): every upload empties it and the next needs it again. The formats are built below.
  const transient: { of?: (key: string) => boolean } = {};
  const keepFolder = (folder: string) => !!transient.of && transient.of(folder) && !transient.of(folder.slice(0, folder.slice(0, -1).lastIndexOf('/') + 1));
  const metered = meteredStore(watchWrites(options.store ?? (await openStore(config.storage, { keepFolder, ...options.open }))), metrics);
  const store = tracing ? tracedStore(metered) : metered;
  const blobs = new BlobStore(store);
  const events = new EventBus(options.onEventError);
  const auditFile = auditFileOf(config);
  const audit = new AuditLog(auditFile);
  const auth = new AuthService(config, store, audit, { ...(options.oidcCooldownMs !== undefined ? { oidcCooldownMs: options.oidcCooldownMs } : {}), ...(options.now ? { now: options.now } : {}) });
  const unfollow = audit.follow(events);
  const pulls = new PullTracker({ store, onError: (error) => options.onEventError?.(error) });
  const unfollowPulls = pulls.follow(events);
  const repositoryMetrics = new RepositoryMetrics(metrics, { maxSeries: config.metrics.max_series, allow: config.metrics.repositories });
  const unfollowRepositoryMetrics = repositoryMetrics.follow(events);
  if ((options.pullFlushMs ?? 30_000) > 0) pulls.start(options.pullFlushMs ?? 30_000);
  const tenants = new TenantService({
    tenants: config.tenants, groups: config.auth.groups, warnAt: config.quota.warn_at, holdTtlMs: config.quota.reservation_ttl,
    store, events, metrics, now: options.now ?? Date.now, onError: (error) => options.onEventError?.(error),
  });
  const built = createFormats({ config, store, blobs, events, pulls, metrics, log: options.log ?? SILENT, ...(tenants.configured ? { gate: tenants } : {}) });
  tenants.attach(built.formats);
  const formatList = Object.values(built.formats) as { isTransientKey?(key: string): boolean }[];
  transient.of = (key) => formatList.some((format) => format.isTransientKey?.(key) ?? false);
  const unfollowTenants = tenants.follow(events);
  const webhooks = new WebhookService({ store, config, ...(options.env ? { env: options.env } : {}), ...(options.now ? { now: options.now } : {}) });
  const webhookErrors = (fields: Record<string, unknown>) => options.onEventError?.(fields.err ?? new Error(`webhook event refused for hook ${String(fields.hook)}`));
  webhooks.follow(events, { info: () => undefined, warn: () => undefined, error: webhookErrors });
  return {
    config,
    store,
    blobs,
    events,
    authorizer: config.auth.enabled ? auth.rules : new AllowAll(),
    auth,
    audit,
    metrics,
    repositoryMetrics,
    formats: built.formats,
    pulls,
    webhooks,
    tenants,
    ...(tracing ? { tracing } : {}),
    startedAt: new Date(),
    close: async () => {
      await webhooks.stop();
      unfollow();
      unfollowPulls();
      unfollowRepositoryMetrics();
      unfollowTenants();
      await tenants.idle();
      pulls.stop();
      await pulls.flush();
      await built.close();
      await audit.flush();
      await store.close();
      await tracing?.shutdown();
    },
  };
}
