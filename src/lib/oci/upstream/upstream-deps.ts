// What the OCI pull-through decorators share: the name resolver, one client per upstream,
// metrics, a logger for stale answers and failed downloads, and the clock (tests move it).
import type { UpstreamLog } from '../../upstream/log.js';
import type { CacheMeter, UpstreamMetrics } from '../../upstream/metrics.js';
import type { RegistryClient } from './registry-client.js';
import type { UpstreamResolver } from './upstream-resolver.js';
import type { UpstreamConfig } from './upstream-routes.js';

export interface UpstreamDeps {
  resolver: UpstreamResolver;
  client: (upstream: UpstreamConfig) => RegistryClient;
  metrics: UpstreamMetrics;
  /** Cache lookups of the oci format. */
  cache: CacheMeter;
  log: UpstreamLog;
  /** Largest manifest accepted from an upstream (docker.manifest_max_size). */
  manifestMaxSize: number;
  now: () => number;
}
