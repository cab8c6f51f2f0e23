// Per-repository traffic: pushes and pulls counted from the event bus (ArtifactPushed and
// ArtifactPulled, every format), bytes received and sent counted per request by the HTTP layer
// (recordBytes: a blob GET or a layer upload counts for its repository though it is no event).
// OCI layer and config blobs (events marked `blob`) are bytes of an image push, not pushes.
// The repository label goes through RepositoryLabels, the cardinality guard.
import { Counter } from 'prom-client';
import type { EventBus } from '../events/bus.js';
import type { Metrics } from './metrics.js';
import { RepositoryLabels, type RepositoryLabelOptions } from './repository-labels.js';

type Labels = 'format' | 'repository';

export class RepositoryMetrics {
  private readonly labels: RepositoryLabels;
  readonly pushes: Counter<Labels>;
  readonly pulls: Counter<Labels>;
  readonly received: Counter<Labels>;
  readonly sent: Counter<Labels>;

  constructor(metrics: Metrics, options: RepositoryLabelOptions) {
    this.labels = new RepositoryLabels(options);
    const registers = [metrics.registry];
    const labelNames = ['format', 'repository'] as const;
    this.pushes = new Counter({ name: 'nora_repository_pushes_total', help: 'Artifacts pushed (OCI: manifests; npm, cargo: versions; maven, pypi: files), by format and repository ("(other)" past [metrics] max_series or outside [metrics] repositories).', labelNames, registers });
    this.pulls = new Counter({ name: 'nora_repository_pulls_total', help: 'Artifacts pulled (OCI: manifest GETs; npm, cargo: tarball downloads; maven, pypi: file downloads), by format and repository.', labelNames, registers });
    this.received = new Counter({ name: 'nora_repository_received_bytes_total', help: 'Request body bytes received for a repository (pushes, uploads), by format and repository.', labelNames, registers });
    this.sent = new Counter({ name: 'nora_repository_sent_bytes_total', help: 'Response body bytes sent for a repository (manifests, blobs, tarballs, files, metadata), by format and repository.', labelNames, registers });
  }

  /** Counts every push and pull published on `events`; returns the function that stops. */
  follow(events: EventBus): () => void {
    return events.subscribe((event) => {
      if (event.type !== 'ArtifactPushed' && event.type !== 'ArtifactPulled') return;
      if (event.blob) return;
      const { format, name } = event.artifact;
      (event.type === 'ArtifactPushed' ? this.pushes : this.pulls).inc({ format, repository: this.labels.label(format, name) });
    });
  }

  /** Bytes of one request to `name` (its access spelling) of `format`. */
  recordBytes(format: string, name: string, bytesIn: number, bytesOut: number): void {
    if (bytesIn <= 0 && bytesOut <= 0) return;
    const labels = { format, repository: this.labels.label(format, name) };
    if (bytesIn > 0) this.received.inc(labels, bytesIn);
    if (bytesOut > 0) this.sent.inc(labels, bytesOut);
  }
}
