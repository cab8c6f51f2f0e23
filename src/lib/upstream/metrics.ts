// Prometheus metrics of every pull-through cache, registered once on the instance's registry
// (upstreamMetrics): cache lookups, hits, misses and stale answers by format, upstream name and
// kind (recorded through `cache(format)`, the one way every format counts them); upstream
// requests, errors, latency and bytes by upstream name; the last rate-limit headroom an upstream
// announced. Hit ratio over a window: sum(rate(nora_upstream_cache_hits_total[5m])) /
// sum(rate(nora_upstream_cache_lookups_total[5m])); nora_upstream_cache_hit_ratio is the same
// since the start, per format, for a graph without PromQL.
import { Counter, Gauge, Histogram } from 'prom-client';
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

/**
 * How one lookup in a pull-through cache ended: `hit` (served from the cache, fresh),
 * `revalidated` (served from the cache after the upstream said it is unchanged), `stale` (served
 * from the cache because the upstream failed) or `miss` (fetched from the upstream now).
 */
export type CacheOutcome = 'hit' | 'revalidated' | 'stale' | 'miss';

/** What a format's cache reads or writes: manifest, tag, blob, metadata, file, index, crate. */
export type CacheKind = string;

/** The cache counters of one format. */
export class CacheMeter {
  constructor(private readonly metrics: UpstreamMetrics, private readonly format: string) {}

  /** Counts one lookup of `kind` in the cache of `upstream` (its name) with its outcome. */
  record(upstream: string, kind: CacheKind, outcome: CacheOutcome): void {
    const labels = { format: this.format, upstream, kind };
    this.metrics.lookups.inc(labels);
    if (outcome === 'miss') this.metrics.misses.inc(labels);
    else this.metrics.hits.inc(labels);
    if (outcome === 'stale') this.metrics.stale.inc({ format: this.format, upstream });
  }
}

export class UpstreamMetrics {
  /** Every cache lookup; with `hits` the pair a hit ratio is computed from. */
  readonly lookups: Counter<'format' | 'upstream' | 'kind'>;
  readonly hits: Counter<'format' | 'upstream' | 'kind'>;
  readonly misses: Counter<'format' | 'upstream' | 'kind'>;
  readonly stale: Counter<'format' | 'upstream'>;
  readonly requests: Counter<'upstream' | 'method' | 'status'>;
  readonly errors: Counter<'upstream' | 'reason'>;
  readonly bytes: Counter<'upstream'>;
  /** Time until an upstream answered (status and headers) or failed, by upstream and method. */
  readonly latency: Histogram<'upstream' | 'method'>;
  readonly rateLimitRemaining: Gauge<'upstream'>;

  constructor(metrics: Metrics) {
    const registers = [metrics.registry];
    const cacheLabels = ['format', 'upstream', 'kind'] as const;
    this.lookups = new Counter({ name: 'nora_upstream_cache_lookups_total', help: 'Pull-through cache lookups (hits + misses), by format, upstream and kind (manifest, tag, blob, metadata, file, index, crate).', labelNames: cacheLabels, registers });
    this.hits = new Counter({ name: 'nora_upstream_cache_hits_total', help: 'Pull-through lookups answered from the cache (fresh, revalidated or stale), by format, upstream and kind.', labelNames: cacheLabels, registers });
    this.misses = new Counter({ name: 'nora_upstream_cache_misses_total', help: 'Pull-through lookups fetched from the upstream, by format, upstream and kind.', labelNames: cacheLabels, registers });
    this.stale = new Counter({ name: 'nora_upstream_stale_served_total', help: 'Cached copies served stale because the upstream failed, by format and upstream.', labelNames: ['format', 'upstream'], registers });
    this.requests = new Counter({ name: 'nora_upstream_requests_total', help: 'Requests sent to upstream registries, by upstream, method and status.', labelNames: ['upstream', 'method', 'status'], registers });
    this.errors = new Counter({ name: 'nora_upstream_errors_total', help: 'Failed upstream requests, by upstream and reason (rate_limited, unavailable, timeout, denied, verify).', labelNames: ['upstream', 'reason'], registers });
    this.bytes = new Counter({ name: 'nora_upstream_bytes_total', help: 'Bytes of files and blobs received from upstreams.', labelNames: ['upstream'], registers });
    this.latency = new Histogram({
      name: 'nora_upstream_request_duration_seconds', help: 'Time until an upstream answered a request (status and headers) or failed, by upstream and method.', labelNames: ['upstream', 'method'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers,
    });
    const { lookups, hits } = this;
    new Gauge({
      name: 'nora_upstream_cache_hit_ratio', help: 'Pull-through cache hits / lookups since the start, by format (for a window use rate() of the two counters).', labelNames: ['format'], registers,
      async collect() {
        const looked = new Map<string, number>();
        for (const v of (await lookups.get()).values) looked.set(String(v.labels.format), (looked.get(String(v.labels.format)) ?? 0) + v.value);
        const hit = new Map<string, number>();
        for (const v of (await hits.get()).values) hit.set(String(v.labels.format), (hit.get(String(v.labels.format)) ?? 0) + v.value);
        this.reset();
        for (const [format, n] of looked) if (n > 0) this.set({ format }, (hit.get(format) ?? 0) / n);
      },
    });
    this.rateLimitRemaining = new Gauge({ name: 'nora_upstream_ratelimit_remaining', help: 'Last ratelimit-remaining an upstream announced.', labelNames: ['upstream'], registers });
  }

  /** The cache counters of `format` (oci, npm, maven, cargo, pypi). */
  cache(format: string): CacheMeter {
    return new CacheMeter(this, format);
  }
}
