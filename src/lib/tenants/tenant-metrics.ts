// Per-tenant Prometheus metrics. Storage and quota gauges are read from the store's usage
// documents at each scrape (so every server reports the shared numbers); pushes, pulls,
// bandwidth and refusals are this server's counters.
import { Counter, Gauge } from 'prom-client';
import type { Metrics } from '../metrics/metrics.js';

export class TenantMetrics {
  readonly pushes: Counter<'tenant'>;
  readonly pulls: Counter<'tenant'>;
  readonly bytesIn: Counter<'tenant'>;
  readonly bytesOut: Counter<'tenant'>;
  readonly refusals: Counter<'tenant' | 'reason'>;

  constructor(metrics: Metrics, tenants: Array<{ name: string; quota: number }>, read: () => Promise<Array<{ tenant: string; used: number }>>) {
    const registers = [metrics.registry];
    new Gauge({
      name: 'nora_tenant_storage_bytes', help: 'Bytes of the distinct blobs a tenant\'s artifacts reference (shared by every server on the store).', labelNames: ['tenant'], registers,
      async collect() {
        for (const { tenant, used } of await read()) this.set({ tenant }, used);
      },
    });
    const quota = new Gauge({ name: 'nora_tenant_quota_bytes', help: 'A tenant\'s storage quota in bytes (0: none).', labelNames: ['tenant'], registers });
    for (const tenant of tenants) quota.set({ tenant: tenant.name }, tenant.quota);
    this.pushes = new Counter({ name: 'nora_tenant_pushes_total', help: 'Pushes admitted for a tenant on this server.', labelNames: ['tenant'], registers });
    this.pulls = new Counter({ name: 'nora_tenant_pulls_total', help: 'Pulls admitted for a tenant on this server.', labelNames: ['tenant'], registers });
    this.bytesIn = new Counter({ name: 'nora_tenant_bytes_in_total', help: 'Request body bytes received for a tenant\'s names on this server.', labelNames: ['tenant'], registers });
    this.bytesOut = new Counter({ name: 'nora_tenant_bytes_out_total', help: 'Response body bytes sent for a tenant\'s names on this server.', labelNames: ['tenant'], registers });
    this.refusals = new Counter({ name: 'nora_tenant_refusals_total', help: 'Requests refused for a tenant: reason "quota", "push_rate" or "pull_rate".', labelNames: ['tenant', 'reason'], registers });
  }
}
