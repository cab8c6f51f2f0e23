// The composition root: everything a NORA process needs, built once from a Config. `serve` and
// the operator commands (gc, backup, migrate, ...) all start here, so they see the same store.
import type { NoraConfig } from './config/schema.js';
import type { ObjectStore } from './storage/object-store.js';
import { openStore } from './storage/open-store.js';
import { meteredStore } from './storage/metered-store.js';
import { BlobStore } from './blobs/blob-store.js';
import { EventBus } from './events/bus.js';
import { AllowAll, type Authorizer } from './auth/access.js';
import { Metrics } from './metrics/metrics.js';

export interface Services {
  config: NoraConfig;
  store: ObjectStore;
  blobs: BlobStore;
  events: EventBus;
  authorizer: Authorizer;
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
}

export async function createServices(config: NoraConfig, options: ServiceOptions = {}): Promise<Services> {
  const metrics = new Metrics({ processMetrics: options.processMetrics ?? false });
  const store = meteredStore(options.store ?? (await openStore(config.storage)), metrics);
  const blobs = new BlobStore(store);
  return {
    config,
    store,
    blobs,
    events: new EventBus(options.onEventError),
    authorizer: new AllowAll(),
    metrics,
    startedAt: new Date(),
    close: () => store.close(),
  };
}
