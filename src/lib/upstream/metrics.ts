// Prometheus metrics of every pull-through cache, registered once on the instance's registry
// (upstreamMetrics): cache hits and misses, upstream requests, errors and bytes by upstream
// name, and the last rate-limit headroom an upstream announced.
import { Counter, Gauge } from 'prom-client';
import type { Metrics } from '../metrics/metrics.js';

const byRegistry = new WeakMap<Metrics, UpstreamMetrics>();

/** The upstream metrics of `metrics`' registry, registered on first use (every format shares them). */
export function upstreamMetrics(metrics: Metrics): UpstreamMetrics {
  let found = byRegistry.get(metrics);
  if (!found) {
    found = new UpstreamMetrics(metrics);
    byRegistry.set(metrics, found);
  }
  return found;
}

export class UpstreamMetrics {
  readonly hits: Counter<'upstream' | 'kind'>;
  readonly misses: Counter<'upstream' | 'kind'>;
  readonly stale: Counter<'upstream'>;
  readonly requests: Counter<'upstream' | 'method' | 'status'>;
  readonly errors: Counter<'upstream' | 'reason'>;
  readonly bytes: Counter<'upstream'>;
  readonly rateLimitRemaining: Gauge<'upstream'>;

  constructor(metrics: Metrics) {
    const registers = [metrics.registry];
    this.hits = new Counter({ name: 'nora_upstream_cache_hits_total', help: 'Pull-through requests answered from the cache, by upstream and kind (manifest, tag, blob, metadata, file).', labelNames: ['upstream', 'kind'], registers });
    this.misses = new Counter({ name: 'nora_upstream_cache_misses_total', help: 'Pull-through requests that needed the upstream, by upstream and kind.', labelNames: ['upstream', 'kind'], registers });
    this.stale = new Counter({ name: 'nora_upstream_stale_served_total', help: 'Cached tags served stale because the upstream failed.', labelNames: ['upstream'], registers });
    this.requests = new Counter({ name: 'nora_upstream_requests_total', help: 'Requests sent to upstream registries, by upstream, method and status.', labelNames: ['upstream', 'method', 'status'], registers });
    this.errors = new Counter({ name: 'nora_upstream_errors_total', help: 'Failed upstream requests, by upstream and reason (rate_limited, unavailable, timeout, denied, verify).', labelNames: ['upstream', 'reason'], registers });
    this.bytes = new Counter({ name: 'nora_upstream_bytes_total', help: 'Bytes of files and blobs received from upstreams.', labelNames: ['upstream'], registers });
    this.rateLimitRemaining = new Gauge({ name: 'nora_upstream_ratelimit_remaining', help: 'Last ratelimit-remaining an upstream announced.', labelNames: ['upstream'], registers });
  }
}
