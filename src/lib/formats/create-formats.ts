// Builds every format's service from one options object; called once by the composition root
// (services.ts). The OCI pull-through cache decorates the OCI registry here, so handlers and
// operator commands share one instance of each service.
import type { NoraConfig } from '../config/schema.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { EventBus } from '../events/bus.js';
import type { Metrics } from '../metrics/metrics.js';
import type { PullTracker } from '../pulls/pull-tracker.js';
import type { UpstreamLog } from '../upstream/upstream-deps.js';
import { pullThrough } from '../upstream/pull-through.js';
import { OciRegistry } from '../oci/registry.js';
import { OciService } from '../oci/oci-service.js';
import { NpmRegistry } from '../npm/npm-registry.js';
import { NpmService } from '../npm/npm-service.js';
import { MavenService } from '../maven/maven-service.js';
import { CargoService } from '../cargo/cargo-service.js';
import { PypiService } from '../pypi/pypi-service.js';

export interface FormatDeps {
  config: NoraConfig;
  store: ObjectStore;
  blobs: BlobStore;
  events: EventBus;
  pulls: PullTracker;
  metrics: Metrics;
  log: UpstreamLog;
}

export interface Formats {
  oci: OciService;
  npm: NpmService;
  maven: MavenService;
  cargo: CargoService;
  pypi: PypiService;
}

export function createFormats(deps: FormatDeps): { formats: Formats; close(): Promise<void> } {
  const { config, store, blobs, events, pulls } = deps;
  const upstreams = pullThrough(config, deps.metrics, deps.log);
  const oci = new OciService(new OciRegistry({ store, blobs, events, uploadTtlMs: config.docker.upload_ttl, decorate: upstreams?.decorate }), events, pulls);
  const npm = new NpmService(new NpmRegistry({
    store, blobs, events,
    upstream: config.npm.enabled ? config.npm.upstream : '',
    metadataTtlMs: config.npm.metadata_ttl,
    upstreamTimeoutMs: config.npm.upstream_timeout,
    allowShadowing: config.npm.allow_shadowing,
  }), pulls);
  const formats: Formats = {
    oci,
    npm,
    maven: new MavenService({ store, blobs, events, config: config.maven }, pulls),
    cargo: new CargoService({ store, blobs, events, pulls, config: config.cargo }),
    pypi: new PypiService({ store, blobs, events, pulls, config: config.pypi }),
  };
  return {
    formats,
    async close() {
      await Promise.all([upstreams?.close(), npm.registry.close(), formats.maven.close(), formats.cargo.close(), formats.pypi.close()]);
    },
  };
}
