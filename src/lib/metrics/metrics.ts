// Prometheus metrics of one NORA instance. Each instance owns its registry (tests build many
// apps in one process), and `/metrics` serves it.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({ name: 'nora_http_requests_total', help: 'HTTP requests by method, route and status.', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
  readonly httpDuration = new Histogram({
    name: 'nora_http_request_duration_seconds', help: 'HTTP request duration by method and route.', labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60], registers: [this.registry],
  });
  readonly bytesIn = new Counter({ name: 'nora_http_request_bytes_total', help: 'Request body bytes received.', registers: [this.registry] });
  readonly bytesOut = new Counter({ name: 'nora_http_response_bytes_total', help: 'Response body bytes sent.', registers: [this.registry] });
  readonly storageOps = new Counter({ name: 'nora_storage_operations_total', help: 'Storage operations by backend and operation.', labelNames: ['backend', 'operation'], registers: [this.registry] });
  readonly storageConflicts = new Counter({ name: 'nora_storage_conditional_conflicts_total', help: 'Conditional writes that lost to a concurrent writer (PRECONDITION_FAILED; the caller re-reads and retries).', labelNames: ['backend', 'operation'], registers: [this.registry] });
  readonly storageErrors = new Counter({ name: 'nora_storage_errors_total', help: 'Failed storage operations (not counting not-found and precondition answers).', labelNames: ['backend', 'operation'], registers: [this.registry] });

  readonly webhookAttempts = new Counter({ name: 'nora_webhook_attempts_total', help: 'Webhook delivery attempts by hook and result (done, retry, dead, lost).', labelNames: ['hook', 'result'], registers: [this.registry] });
  readonly webhookDuration = new Histogram({
    name: 'nora_webhook_attempt_duration_seconds', help: 'Time receivers took to answer a webhook delivery attempt, by hook.', labelNames: ['hook'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'nora_' });
  }
}
