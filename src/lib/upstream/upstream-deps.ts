// What the pull-through decorators share: the name resolver, one client per upstream, metrics,
// a logger for stale answers and failed downloads, and the clock (tests move it).
import type { RegistryClient } from './registry-client.js';
import type { UpstreamMetrics } from './upstream-metrics.js';
import type { UpstreamResolver } from './upstream-resolver.js';
import type { UpstreamConfig } from './upstream-routes.js';

/** The part of a pino logger the cache writes to. */
export interface UpstreamLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface UpstreamDeps {
  resolver: UpstreamResolver;
  client: (upstream: UpstreamConfig) => RegistryClient;
  metrics: UpstreamMetrics;
  log: UpstreamLog;
  /** Largest manifest accepted from an upstream (docker.manifest_max_size). */
  manifestMaxSize: number;
  now: () => number;
}
