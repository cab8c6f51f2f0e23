// Wires the pull-through cache: given [[docker.upstreams]], a decorator that wraps the local OCI
// blob, manifest and upload services with their caching versions (the one place upstreams enter
// the OCI registry; handlers never branch on local versus upstream). No upstreams, no decorator.
import type { NoraConfig } from '../../config/schema.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { LocalOci, OciServices } from '../registry.js';
import { CacheRecords } from './cache-records.js';
import { CachingBlobService } from './caching-blob-service.js';
import { CachingManifestService } from './caching-manifest-service.js';
import { GuardedUploadStore } from './guarded-uploads.js';
import { RegistryClient } from './registry-client.js';
import type { UpstreamLog } from '../../upstream/log.js';
import { upstreamMetrics } from '../../upstream/metrics.js';
import type { UpstreamDeps } from './upstream-deps.js';
import { UpstreamResolver } from './upstream-resolver.js';
import { UpstreamRoutes } from './upstream-routes.js';

export interface PullThrough {
  decorate: (local: LocalOci) => OciServices;
  /** Closes the upstream connection pools. */
  close: () => Promise<void>;
}

export function pullThrough(config: NoraConfig, metrics: Metrics, log: UpstreamLog, now: () => number = Date.now): PullThrough | undefined {
  const upstreams = config.docker.upstreams;
  if (upstreams.length === 0) return undefined;
  const shared = upstreamMetrics(metrics);
  const clients = new Map(upstreams.map((u) => [u.name, new RegistryClient(u, shared)]));
  return {
    decorate(local) {
      const resolver = new UpstreamResolver(new UpstreamRoutes(upstreams), local.catalog, new CacheRecords(local.store));
      const deps: UpstreamDeps = {
        resolver, metrics: shared, cache: shared.cache('oci'), log, now, manifestMaxSize: config.docker.manifest_max_size,
        client: (upstream) => clients.get(upstream.name)!,
      };
      return {
        blobs: new CachingBlobService(local.blobs, deps),
        manifests: new CachingManifestService(local.manifests, local.tags, deps),
        uploads: new GuardedUploadStore(local.store, local.uploads.ttlMs, resolver, local.uploads.now, local.uploads.hashes),
      };
    },
    async close() {
      await Promise.all([...clients.values()].map((c) => c.close()));
    },
  };
}
