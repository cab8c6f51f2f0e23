// Prometheus metrics of the [[replication]] rules, per rule: items copied and failed, bytes
// sent, items waiting, the age of the oldest waiting item (replication lag), and how long items
// and scheduled passes took.
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Metrics } from '../../../metrics/metrics.js';

const byRegistry = new WeakMap<Metrics, RuleMetrics>();

/** The replication metrics of `metrics`' registry, registered on first use (an app may be built twice over one Services). */
export function ruleMetrics(metrics: Metrics): RuleMetrics {
  let found = byRegistry.get(metrics);
  if (!found) {
    found = new RuleMetrics(metrics);
    byRegistry.set(metrics, found);
  }
  return found;
}

export class RuleMetrics {
  readonly items: Counter<'rule' | 'outcome'>;
  readonly bytes: Counter<'rule'>;
  readonly pending: Gauge<'rule'>;
  readonly lag: Gauge<'rule'>;
  readonly duration: Histogram<'rule' | 'kind'>;

  constructor(metrics: Metrics) {
    const registers = [metrics.registry];
    this.items = new Counter({ name: 'nora_replication_items_total', help: 'Replication items finished, by rule and outcome (copied, deleted, failed, gone).', labelNames: ['rule', 'outcome'], registers });
    this.bytes = new Counter({ name: 'nora_replication_bytes_total', help: 'Blob bytes sent to the remote, by rule.', labelNames: ['rule'], registers });
    this.pending = new Gauge({ name: 'nora_replication_pending', help: 'Items waiting or in progress, by rule (at the last status read).', labelNames: ['rule'], registers });
    this.duration = new Histogram({
      name: 'nora_replication_duration_seconds', help: 'Time one replication took, by rule and kind ("item": one queued push or deletion; "pass": one scheduled full pass).', labelNames: ['rule', 'kind'],
      buckets: [0.05, 0.25, 1, 5, 15, 60, 300, 1800], registers,
    });
    this.lag = new Gauge({ name: 'nora_replication_lag_seconds', help: 'Age of the oldest waiting item, by rule (at the last status read).', labelNames: ['rule'], registers });
  }
}
