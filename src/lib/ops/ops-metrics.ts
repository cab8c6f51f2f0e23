// Prometheus metrics of the maintenance passes run inside `nora serve` (scheduled or through the
// API): gc and retention runs by result, their durations, and what they removed. Replication has
// its own per-rule metrics (replicate/rules/rule-metrics.ts); webhooks theirs (metrics/metrics.ts).
import { Counter, Histogram } from 'prom-client';
import type { Metrics } from '../metrics/metrics.js';
import type { GcReport } from './gc-progress.js';

const byRegistry = new WeakMap<Metrics, OpsMetrics>();

/** The ops metrics of `metrics`' registry, registered on first use. */
export function opsMetrics(metrics: Metrics): OpsMetrics {
  let found = byRegistry.get(metrics);
  if (!found) {
    found = new OpsMetrics(metrics);
    byRegistry.set(metrics, found);
  }
  return found;
}

const BUCKETS = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600];

export class OpsMetrics {
  readonly gcRuns: Counter<'result' | 'dry_run'>;
  readonly gcDuration: Histogram<'dry_run'>;
  readonly gcBlobsFreed: Counter;
  readonly gcBytesFreed: Counter;
  readonly retentionRuns: Counter<'result' | 'dry_run'>;
  readonly retentionDuration: Histogram<'dry_run'>;
  readonly retentionDeleted: Counter;

  constructor(metrics: Metrics) {
    const registers = [metrics.registry];
    this.gcRuns = new Counter({ name: 'nora_gc_runs_total', help: 'Garbage collection runs in this server, by result (done, failed) and dry_run.', labelNames: ['result', 'dry_run'], registers });
    this.gcDuration = new Histogram({ name: 'nora_gc_duration_seconds', help: 'Duration of garbage collection runs in this server.', labelNames: ['dry_run'], buckets: BUCKETS, registers });
    this.gcBlobsFreed = new Counter({ name: 'nora_gc_blobs_freed_total', help: 'Blobs deleted by garbage collection (real runs only).', registers });
    this.gcBytesFreed = new Counter({ name: 'nora_gc_bytes_freed_total', help: 'Bytes freed by garbage collection (real runs only).', registers });
    this.retentionRuns = new Counter({ name: 'nora_retention_runs_total', help: 'Retention passes in this server, by result (done, failed) and dry_run.', labelNames: ['result', 'dry_run'], registers });
    this.retentionDuration = new Histogram({ name: 'nora_retention_duration_seconds', help: 'Duration of retention passes in this server.', labelNames: ['dry_run'], buckets: BUCKETS, registers });
    this.retentionDeleted = new Counter({ name: 'nora_retention_deleted_total', help: 'Versions, tags and files retention deleted (real passes only).', registers });
  }

  gcFinished(report: GcReport): void {
    const dryRun = String(report.dryRun);
    this.gcRuns.inc({ result: report.phase === 'failed' ? 'failed' : 'done', dry_run: dryRun });
    if (report.durationMs !== undefined) this.gcDuration.observe({ dry_run: dryRun }, report.durationMs / 1000);
    if (!report.dryRun) {
      this.gcBlobsFreed.inc(report.blobsFreed);
      this.gcBytesFreed.inc(report.bytesFreed);
    }
  }

  retentionFinished(report: { dryRun: boolean; phase: string; durationMs?: number; deleted: number }): void {
    const dryRun = String(report.dryRun);
    this.retentionRuns.inc({ result: report.phase === 'failed' ? 'failed' : 'done', dry_run: dryRun });
    if (report.durationMs !== undefined) this.retentionDuration.observe({ dry_run: dryRun }, report.durationMs / 1000);
    if (!report.dryRun) this.retentionDeleted.inc(report.deleted);
  }
}
