// Prometheus metrics of the [[replication]] rules, per rule: items copied and failed, bytes
// sent, items waiting, and the age of the oldest waiting item (replication lag).
import { Counter, Gauge } from 'prom-client';
import type { Metrics } from '../../../metrics/metrics.js';

export class RuleMetrics {
  readonly items: Counter<'rule' | 'outcome'>;
  readonly bytes: Counter<'rule'>;
  readonly pending: Gauge<'rule'>;
  readonly lag: Gauge<'rule'>;

  constructor(metrics: Metrics) {
    const registers = [metrics.registry];
    this.items = new Counter({ name: 'nora_replication_items_total', help: 'Replication items finished, by rule and outcome (copied, deleted, failed, gone).', labelNames: ['rule', 'outcome'], registers });
    this.bytes = new Counter({ name: 'nora_replication_bytes_total', help: 'Blob bytes sent to the remote, by rule.', labelNames: ['rule'], registers });
    this.pending = new Gauge({ name: 'nora_replication_pending', help: 'Items waiting or in progress, by rule (at the last status read).', labelNames: ['rule'], registers });
    this.lag = new Gauge({ name: 'nora_replication_lag_seconds', help: 'Age of the oldest waiting item, by rule (at the last status read).', labelNames: ['rule'], registers });
  }
}
